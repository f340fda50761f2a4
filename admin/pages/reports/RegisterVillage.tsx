import type { Village } from '@protocol';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { VillageSelect } from '../../components/VillageSelect';

/** The village a register entry concerns, or none for the whole town (an editor limited to villages sees their villages' entries). */
export function RegisterVillage({
  id,
  value,
  villages,
  error,
  onChange,
}: {
  id: string;
  value: string | null;
  villages: readonly Village[];
  error?: string | null;
  onChange: (villageId: string | null) => void;
}) {
  const { t } = useI18n();
  const g = t.ledgerReports.registers;
  return (
    <Field id={id} label={g.village} error={error}>
      {(control) => (
        <VillageSelect
          {...control}
          value={value ?? ''}
          onChange={(id) => onChange(id || null)}
          villages={villages}
          emptyLabel={g.wholeTown}
        />
      )}
    </Field>
  );
}

/** A register entry's village as staff read it. */
export function villageLabel(villageId: string | null, villages: readonly Village[], wholeTown: string): string {
  return villageId === null ? wholeTown : (villages.find((v) => v.id === villageId)?.name ?? villageId);
}
