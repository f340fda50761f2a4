import type { Failure, Village } from '@protocol';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';

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
      <div class="field">
        <label for={id('name')}>{d.name}</label>
        <input
          id={id('name')}
          value={values.name}
          maxLength={60}
          onInput={(e) => set({ name: e.currentTarget.value })}
          {...describe(id('name'), nameError)}
        />
        <FieldError id={`${id('name')}-error`} message={nameError} />
      </div>
      <div class="field">
        <label for={id('village')}>{d.village}</label>
        <select
          id={id('village')}
          value={values.villageId}
          onChange={(e) => set({ villageId: e.currentTarget.value })}
          {...describe(id('village'), villageError)}
        >
          <option value="">{d.chooseVillage}</option>
          {villages.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
        <FieldError id={`${id('village')}-error`} message={villageError} />
      </div>
      <div class="field">
        <label for={id('location')}>{d.pair.location}</label>
        <input
          id={id('location')}
          value={values.location}
          maxLength={100}
          onInput={(e) => set({ location: e.currentTarget.value })}
          {...describe(id('location'), locationError, true)}
        />
        <p class="hint" id={`${id('location')}-hint`}>
          {d.pair.locationHint}
        </p>
        <FieldError id={`${id('location')}-error`} message={locationError} />
      </div>
    </>
  );
}
