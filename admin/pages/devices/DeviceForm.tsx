import type { Ack, CreateDeviceRequest, Failure, Village } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { PairedDevice } from '../../lib/api';
import { FailureMessage } from '../../components/Feedback';
import { DeviceFields, type DeviceFieldValues } from './DeviceFields';

export interface DeviceFormProps {
  villages: readonly Village[];
  create: (body: CreateDeviceRequest) => Promise<Ack<PairedDevice>>;
  onCreated: (paired: PairedDevice) => void;
}

/**
 * 添加触摸屏 with a link: registers a kiosk and shows its pairing link, which the
 * controller gives out only once. The fallback to pairing by code, for a kiosk
 * that cannot show one.
 */
export function DeviceForm({ villages, create, onCreated }: DeviceFormProps) {
  const { t } = useI18n();
  const [fields, setFields] = useState<DeviceFieldValues>({ name: '', villageId: '', location: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [paired, setPaired] = useState<PairedDevice | null>(null);
  const [copied, setCopied] = useState(false);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const ack = await create({ ...fields, kind: 'kiosk' });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setPaired(ack.data);
    setCopied(false);
    setFields({ name: '', villageId: fields.villageId, location: '' });
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

  return (
    <form class="device-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="device-form-heading">
      <h2 id="device-form-heading" class="sr-only">
        {t.devices.add}
      </h2>
      <DeviceFields idPrefix="device" values={fields} villages={villages} failure={failure} onChange={setFields} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t.devices.save}
        </button>
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
