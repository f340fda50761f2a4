import { type CategoryCode, NOTICE_STATES, type NoticeState, type Village } from '@protocol';
import { useState } from 'preact/hooks';
import { CategorySelect } from '../../components/CategorySelect';
import { useI18n } from '../../i18n';

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
      <div class="field">
        <label for="filter-state">{f.state}</label>
        <select id="filter-state" value={values.state} onChange={(e) => set({ state: asState(e.currentTarget.value) })}>
          <option value="">{t.common.all}</option>
          {NOTICE_STATES.map((s) => (
            <option key={s} value={s}>
              {t.states[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-category">{f.category}</label>
        <CategorySelect id="filter-category" emptyLabel={t.common.all} value={values.category} onChange={(category) => set({ category })} />
      </div>
      <div class="field">
        <label for="filter-village">{f.village}</label>
        <select id="filter-village" value={values.villageId} onChange={(e) => set({ villageId: e.currentTarget.value })}>
          <option value="">{t.common.all}</option>
          {villages.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-from">{f.from}</label>
        <input id="filter-from" type="date" value={values.from} onInput={(e) => set({ from: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="filter-to">{f.to}</label>
        <input id="filter-to" type="date" value={values.to} onInput={(e) => set({ to: e.currentTarget.value })} />
      </div>
      <div class="field field-wide">
        <label for="filter-q">{f.q}</label>
        <input
          id="filter-q"
          type="search"
          value={values.q}
          placeholder={f.qHint}
          aria-describedby="filter-q-hint"
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
        <span id="filter-q-hint" class="sr-only">
          {f.qHint}
        </span>
      </div>
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
