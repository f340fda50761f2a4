import type { Village } from '@protocol';

export interface VillageSelectProps {
  id: string;
  /** The chosen village's id, '' for the first option. */
  value: string;
  onChange: (villageId: string) => void;
  villages: readonly Village[];
  /** The first option's label, with value '' (全镇, 全部, 请选择村…). */
  emptyLabel: string;
  /** How a village reads in the list; its name unless given. */
  optionLabel?: (village: Village) => string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** A choice of one of the town's villages, or the first option ('') for none, all or the whole town. */
export function VillageSelect({ id, value, onChange, villages, emptyLabel, optionLabel = (v) => v.name, ...aria }: VillageSelectProps) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} {...aria}>
      <option value="">{emptyLabel}</option>
      {villages.map((v) => (
        <option key={v.id} value={v.id}>
          {optionLabel(v)}
        </option>
      ))}
    </select>
  );
}
