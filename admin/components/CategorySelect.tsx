import { type CategoryCode, CATEGORY_CODES, categoryLabel } from '@protocol';
import { useI18n } from '../i18n';
import { CATEGORY_GROUPS } from '../lib/labels';

export interface CategorySelectProps {
  id: string;
  value: CategoryCode | '';
  onChange: (value: CategoryCode | '') => void;
  /** The first option's label, with value '' (e.g. 全部 in a filter). */
  emptyLabel?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** The 条例 and 三务 categories grouped as the regulation groups them. */
export function CategorySelect({ id, value, onChange, emptyLabel, ...aria }: CategorySelectProps) {
  const { t, locale } = useI18n();
  return (
    <select id={id} value={value} onChange={(e) => onChange(CATEGORY_CODES.find((c) => c === e.currentTarget.value) ?? '')} {...aria}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {CATEGORY_GROUPS.map(({ group, categories }) => (
        <optgroup key={group} label={t.categoryGroups[group]}>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {categoryLabel(c.code, locale)}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
