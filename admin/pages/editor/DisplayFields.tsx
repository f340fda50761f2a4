import {
  EMERGENCY_LEVEL_WORDS,
  EMERGENCY_LEVELS,
  RETENTION_CLASSES,
  type EmergencyLevel,
  type RetentionClass,
  defaultRetention,
} from '@protocol';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { DraftFieldsProps } from './types';

const PRIORITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Priority in rotation, the emergency flag with its level (colour and words) and end, and retention. */
export function DisplayFields({ draft, update, failure }: DraftFieldsProps) {
  const { t } = useI18n();
  const e = t.editor;
  const expiresError = fieldErrorFor(failure, 'emergency');
  return (
    <fieldset class="group">
      <legend>{e.sections.publishing}</legend>
      <div class="row">
        <div class="field">
          <label for="notice-priority">{e.priority}</label>
          <select
            id="notice-priority"
            value={String(draft.priority)}
            onChange={(ev) => update({ priority: Number(ev.currentTarget.value) })}
            aria-describedby="notice-priority-hint"
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={String(p)}>
                {p}
              </option>
            ))}
          </select>
          <p class="hint" id="notice-priority-hint">
            {e.priorityHint}
          </p>
        </div>
        <div class="field">
          <label for="notice-retention">{e.retention}</label>
          <select
            id="notice-retention"
            value={draft.retention}
            onChange={(ev) => update({ retention: RETENTION_CLASSES.find((r): r is RetentionClass => r === ev.currentTarget.value) ?? '' })}
          >
            <option value="">{e.retentionDefault(e.retentions[defaultRetention(draft.category)])}</option>
            {RETENTION_CLASSES.map((r) => (
              <option key={r} value={r}>
                {e.retentions[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label class="choice emergency-toggle">
        <input type="checkbox" checked={draft.emergency} onChange={(ev) => update({ emergency: ev.currentTarget.checked })} />
        {e.emergencyOn}
      </label>
      {draft.emergency && (
        <div class="row">
          <div class="field">
            <label for="notice-level">{e.level}</label>
            <select
              id="notice-level"
              value={draft.emergencyLevel}
              onChange={(ev) =>
                update({ emergencyLevel: EMERGENCY_LEVELS.find((l): l is EmergencyLevel => l === ev.currentTarget.value) ?? 'blue' })
              }
            >
              {EMERGENCY_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {EMERGENCY_LEVEL_WORDS[level].colour}（{EMERGENCY_LEVEL_WORDS[level].grade}）
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="notice-expires">{e.expiresAt}</label>
            <input
              id="notice-expires"
              type="datetime-local"
              value={draft.emergencyExpires}
              onInput={(ev) => update({ emergencyExpires: ev.currentTarget.value })}
              {...describe('notice-expires', expiresError)}
            />
            <FieldError id="notice-expires-error" message={expiresError} />
          </div>
        </div>
      )}
    </fieldset>
  );
}
