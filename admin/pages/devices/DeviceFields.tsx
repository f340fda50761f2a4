import type { Failure, Village } from '@protocol';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { VillageSelect } from '../../components/VillageSelect';

export interface DeviceFieldValues {
  name: string;
  villageId: string;
  location: string;
}

export interface DeviceFieldsProps {
  /** Makes the ids unique per form: `${idPrefix}-name`, … */
  idPrefix: string;
  values: DeviceFieldValues;
  villages: readonly Village[];
  failure: Failure | null;
  onChange: (values: DeviceFieldValues) => void;
}

/** Name, village and place of a device, each with its error under it: shared by pairing and editing. */
export function DeviceFields({ idPrefix, values, villages, failure, onChange }: DeviceFieldsProps) {
  const { t } = useI18n();
  const d = t.devices;
  const set = (change: Partial<DeviceFieldValues>): void => onChange({ ...values, ...change });
  const nameError = fieldErrorFor(failure, 'name');
  const villageError = fieldErrorFor(failure, 'villageId');
  const locationError = fieldErrorFor(failure, 'location');
  const id = (field: string): string => `${idPrefix}-${field}`;
  return (
    <>
      <Field id={id('name')} label={d.name} error={nameError}>
        {(control) => <input {...control} value={values.name} maxLength={60} onInput={(e) => set({ name: e.currentTarget.value })} />}
      </Field>
      <Field id={id('village')} label={d.village} error={villageError}>
        {(control) => (
          <VillageSelect
            {...control}
            value={values.villageId}
            onChange={(villageId) => set({ villageId })}
            villages={villages}
            emptyLabel={d.chooseVillage}
          />
        )}
      </Field>
      <Field id={id('location')} label={d.pair.location} hint={d.pair.locationHint} error={locationError}>
        {(control) => (
          <input {...control} value={values.location} maxLength={100} onInput={(e) => set({ location: e.currentTarget.value })} />
        )}
      </Field>
    </>
  );
}
