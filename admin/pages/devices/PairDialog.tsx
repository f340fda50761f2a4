import { type Ack, type Failure, type PairDeviceRequest, type Village, invalidPayload, pairDeviceRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { DeviceFields, type DeviceFieldValues } from './DeviceFields';

export interface PairDialogProps {
  villages: readonly Village[];
  pair: (body: PairDeviceRequest) => Promise<Ack<DeviceView>>;
  onPaired: (device: DeviceView) => void;
  onClose: () => void;
}

/** The protocol's verdict before sending, with an empty village named as such rather than "must not be empty". */
export function checkPairing(body: PairDeviceRequest): Failure | null {
  const parsed = pairDeviceRequest.safeParse(body);
  if (parsed.success) return null;
  const failure = invalidPayload(parsed.error);
  if (body.villageId === '' && failure.fields) failure.fields.villageId = 'choose a village';
  return failure;
}

/** 配对新触摸屏: the 6-digit code the new kiosk shows, then its name, village and place. */
export function PairDialog({ villages, pair, onPaired, onClose }: PairDialogProps) {
  const { t } = useI18n();
  const p = t.devices.pair;
  const [code, setCode] = useState('');
  const [fields, setFields] = useState<DeviceFieldValues>({ name: '', villageId: '', location: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: PairDeviceRequest = { code: code.replace(/\s/g, ''), ...fields };
    const local = checkPairing(body);
    if (local) return setFailure(local);
    setBusy(true);
    const ack = await pair({ ...body, name: fields.name.trim(), location: fields.location.trim() });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onPaired(ack.data);
  };

  const codeError = fieldErrorFor(failure, 'code');
  return (
    <Dialog id="pair-dialog" heading={p.open} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <p class="intro">{p.intro}</p>
        <Field id="pair-code" label={p.code} hint={p.codeHint} error={codeError}>
          {(control) => (
            <input
              {...control}
              class="pairing-code"
              value={code}
              inputMode="numeric"
              autoComplete="off"
              // The dialog opens on the code, so staff can type the digits straight away.
              autoFocus
              maxLength={7}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          )}
        </Field>
        <DeviceFields idPrefix="pair" values={fields} villages={villages} failure={failure} onChange={setFields} />
        <DialogActions failure={failure} busy={busy} submitLabel={p.submit} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
