import { type CategoryCode, NOTICE_STATES, type NoticeState, type Village } from '@protocol';
import { useState } from 'preact/hooks';
import { CategorySelect } from '../../components/CategorySelect';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { VillageSelect } from '../../components/VillageSelect';

export interface NoticeFilterValues {
  state: NoticeState | '';
  category: CategoryCode | '';
  villageId: string;
  from: string;
  to: string;
  q: string;
}

export const NO_FILTERS: NoticeFilterValues = { state: '', category: '', villageId: '', from: '', to: '', q: '' };

const asState = (value: string): NoticeState | '' => NOTICE_STATES.find((s) => s === value) ?? '';

export interface NoticeFiltersProps {
  initial: NoticeFilterValues;
  villages: readonly Village[];
  onApply: (filters: NoticeFilterValues) => void;
}

/** State, category, village, date range and words; applied with 查询 (or Enter), cleared with 清除条件. */
export function NoticeFilters({ initial, villages, onApply }: NoticeFiltersProps) {
  const { t } = useI18n();
  const f = t.notices.filters;
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<NoticeFilterValues>): void => setValues((v) => ({ ...v, ...patch }));

  return (
    <form
      class="filters card"
      role="search"
      aria-label={f.label}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(values);
      }}
    >
      <Field id="filter-state" label={f.state}>
        {(control) => (
          <select {...control} value={values.state} onChange={(e) => set({ state: asState(e.currentTarget.value) })}>
            <option value="">{t.common.all}</option>
            {NOTICE_STATES.map((s) => (
              <option key={s} value={s}>
                {t.states[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="filter-category" label={f.category}>
        {(control) => (
          <CategorySelect {...control} emptyLabel={t.common.all} value={values.category} onChange={(category) => set({ category })} />
        )}
      </Field>
      <Field id="filter-village" label={f.village}>
        {(control) => (
          <VillageSelect
            {...control}
            value={values.villageId}
            onChange={(villageId) => set({ villageId })}
            villages={villages}
            emptyLabel={t.common.all}
          />
        )}
      </Field>
      <Field id="filter-from" label={f.from}>
        {(control) => <input {...control} type="date" value={values.from} onInput={(e) => set({ from: e.currentTarget.value })} />}
      </Field>
      <Field id="filter-to" label={f.to}>
        {(control) => <input {...control} type="date" value={values.to} onInput={(e) => set({ to: e.currentTarget.value })} />}
      </Field>
      <Field id="filter-q" label={f.q} hint={f.qHint} hintHidden class="field-wide">
        {(control) => (
          <input {...control} type="search" value={values.q} placeholder={f.qHint} onInput={(e) => set({ q: e.currentTarget.value })} />
        )}
      </Field>
      <div class="field field-button actions">
        <button type="submit" class="primary">
          {f.apply}
        </button>
        <button
          type="button"
          onClick={() => {
            setValues(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          {f.reset}
        </button>
      </div>
    </form>
  );
}
