import type { Village } from '@protocol';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';

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
        <select {...control} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value || null)}>
          <option value="">{g.wholeTown}</option>
          {villages.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A register entry's village as staff read it. */
export function villageLabel(villageId: string | null, villages: readonly Village[], wholeTown: string): string {
  return villageId === null ? wholeTown : (villages.find((v) => v.id === villageId)?.name ?? villageId);
}
