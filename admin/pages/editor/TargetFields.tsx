import type { Village } from '@protocol';
import { fieldErrorFor } from '../../components/Feedback';
import { FieldSet } from '../../components/Field';
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
    <FieldSet
      id="notice-target"
      class="group target"
      path="target"
      legend={t.editor.sections.target}
      hint={t.editor.villagesHint}
      error={error}
      after={
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
      }
    >
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
    </FieldSet>
  );
}
