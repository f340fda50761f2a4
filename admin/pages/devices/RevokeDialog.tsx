import { type Ack, type Failure, invalidPayload, revokeDeviceRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';

export interface RevokeDialogProps {
  device: DeviceView;
  revoke: (reason: string) => Promise<Ack<DeviceView>>;
  onDone: (device: DeviceView) => void;
  onClose: () => void;
}

/**
 * 吊销设备: a written reason, then the device's token stops opening: a kiosk drops to its pairing screen, a
 * village node stops driving its signs at once and prints a new pairing code.
 */
export function RevokeDialog({ device, revoke, onDone, onClose }: RevokeDialogProps) {
  const { t } = useI18n();
  const r = t.devices.revoke;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const parsed = revokeDeviceRequest.safeParse({ reason });
    if (!parsed.success) return setFailure(invalidPayload(parsed.error));
    setBusy(true);
    const ack = await revoke(parsed.data.reason);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  const error = fieldErrorFor(failure, 'reason');
  return (
    <Dialog id="revoke-dialog" heading={r.heading(device.name)} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <p class="note note-warn">{device.kind === 'node' ? r.introNode : r.intro}</p>
        <Field id="revoke-reason" label={r.reason} hint={r.hint} error={error}>
          {(control) => <textarea {...control} rows={3} value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
        <DialogActions failure={failure} busy={busy} submitLabel={r.submit} danger onCancel={onClose} />
      </form>
    </Dialog>
  );
}
