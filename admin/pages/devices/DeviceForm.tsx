import type { Ack, CreateDeviceRequest, Failure, Village } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { PairedDevice } from '../../lib/api';
import { FailureMessage, FieldError, fieldErrorFor } from '../../components/Feedback';

export interface DeviceFormProps {
  villages: readonly Village[];
  create: (body: CreateDeviceRequest) => Promise<Ack<PairedDevice>>;
  onCreated: (paired: PairedDevice) => void;
}

/** 添加触摸屏: registers a kiosk and shows its pairing link, which the controller gives out only once. */
export function DeviceForm({ villages, create, onCreated }: DeviceFormProps) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [villageId, setVillageId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [paired, setPaired] = useState<PairedDevice | null>(null);
  const [copied, setCopied] = useState(false);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const ack = await create({ name, villageId, kind: 'kiosk' });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setPaired(ack.data);
    setCopied(false);
    setName('');
    onCreated(ack.data);
  };

  const copy = async (url: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false); // clipboard needs https or localhost; the link stays selectable
    }
  };

  const nameError = fieldErrorFor(failure, 'name');
  const villageError = fieldErrorFor(failure, 'villageId');
  return (
    <form class="card device-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="device-form-heading">
      <h2 id="device-form-heading">{t.devices.add}</h2>
      <div class="row">
        <div class="field">
          <label for="device-name">{t.devices.name}</label>
          <input
            id="device-name"
            value={name}
            maxLength={60}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={nameError !== null}
            aria-describedby={nameError ? 'device-name-error' : undefined}
          />
          <FieldError id="device-name-error" message={nameError} />
        </div>
        <div class="field">
          <label for="device-village">{t.devices.village}</label>
          <select
            id="device-village"
            value={villageId}
            onChange={(e) => setVillageId(e.currentTarget.value)}
            aria-invalid={villageError !== null}
            aria-describedby={villageError ? 'device-village-error' : undefined}
          >
            <option value="">{t.devices.chooseVillage}</option>
            {villages.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
          <FieldError id="device-village-error" message={villageError} />
        </div>
        <div class="field field-button">
          <button type="submit" class="primary" disabled={busy}>
            {t.devices.save}
          </button>
        </div>
      </div>
      <FailureMessage failure={failure} />
      {paired && (
        <div class="paired" role="status">
          <p>
            <strong>{paired.device.name}</strong> — {t.devices.paired}
          </p>
          <div class="row">
            <input
              class="pairing-url"
              readOnly
              value={paired.pairingUrl}
              aria-label={t.devices.paired}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={() => void copy(paired.pairingUrl)}>
              {copied ? t.devices.copied : t.devices.copy}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
