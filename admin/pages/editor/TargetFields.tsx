import type { Village } from '@protocol';
import { FieldError, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { DraftFieldsProps } from './types';

export interface TargetFieldsProps extends DraftFieldsProps {
  /** The villages this user may publish to. */
  villages: readonly Village[];
  /** False for an editor limited to some villages. */
  townAllowed: boolean;
}

/** 全镇 or chosen villages; ticking a village chooses 指定村. */
export function TargetFields({ draft, update, failure, villages, townAllowed }: TargetFieldsProps) {
  const { t } = useI18n();
  const error = fieldErrorFor(failure, 'target');
  const toggle = (id: string, checked: boolean): void => {
    const villageIds = checked ? [...draft.villageIds, id] : draft.villageIds.filter((v) => v !== id);
    update(checked ? { villageIds, scope: 'villages' } : { villageIds });
  };
  return (
    <fieldset class="group target" aria-describedby={error ? 'notice-target-error' : undefined}>
      <legend>{t.editor.sections.target}</legend>
      <div class="choices">
        {townAllowed && (
          <label class="choice">
            <input
              type="radio"
              name="scope"
              value="town"
              checked={draft.scope === 'town'}
              onChange={() => update({ scope: 'town', villageIds: [] })}
            />
            {t.editor.town}
          </label>
        )}
        <label class="choice">
          <input
            type="radio"
            name="scope"
            value="villages"
            checked={draft.scope === 'villages'}
            onChange={() => update({ scope: 'villages' })}
          />
          {t.editor.villages}
        </label>
      </div>
      <p class="hint">{t.editor.villagesHint}</p>
      <div class="choices villages">
        {villages.map((v) => (
          <label class="choice" key={v.id}>
            <input
              type="checkbox"
              name="villageIds"
              value={v.id}
              checked={draft.villageIds.includes(v.id)}
              onChange={(e) => toggle(v.id, e.currentTarget.checked)}
              aria-invalid={error !== null}
            />
            {v.name}
          </label>
        ))}
      </div>
      <FieldError id="notice-target-error" message={error} />
    </fieldset>
  );
}
