import {
  EMERGENCY_LEVEL_WORDS,
  EMERGENCY_LEVELS,
  RETENTION_CLASSES,
  type EmergencyLevel,
  type RetentionClass,
  defaultRetention,
} from '@protocol';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
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
        <Field id="notice-priority" label={e.priority} hint={e.priorityHint}>
          {(control) => (
            <select {...control} value={String(draft.priority)} onChange={(ev) => update({ priority: Number(ev.currentTarget.value) })}>
              {PRIORITIES.map((p) => (
                <option key={p} value={String(p)}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="notice-retention" label={e.retention}>
          {(control) => (
            <select
              {...control}
              value={draft.retention}
              onChange={(ev) =>
                update({ retention: RETENTION_CLASSES.find((r): r is RetentionClass => r === ev.currentTarget.value) ?? '' })
              }
            >
              <option value="">{e.retentionDefault(e.retentions[defaultRetention(draft.category)])}</option>
              {RETENTION_CLASSES.map((r) => (
                <option key={r} value={r}>
                  {e.retentions[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label class="choice emergency-toggle">
        <input type="checkbox" checked={draft.emergency} onChange={(ev) => update({ emergency: ev.currentTarget.checked })} />
        {e.emergencyOn}
      </label>
      {draft.emergency && (
        <div class="row">
          <Field id="notice-level" label={e.level}>
            {(control) => (
              <select
                {...control}
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
            )}
          </Field>
          <Field id="notice-expires" label={e.expiresAt} error={expiresError}>
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                value={draft.emergencyExpires}
                onInput={(ev) => update({ emergencyExpires: ev.currentTarget.value })}
              />
            )}
          </Field>
        </div>
      )}
    </fieldset>
  );
}
