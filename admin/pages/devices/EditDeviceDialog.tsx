import { type Ack, type Failure, type UpdateDeviceRequest, type Village, invalidPayload, updateDeviceRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { type OnHoursProblems, draftOf, toOnHours } from '../../lib/onHours';
import { DeviceFields, type DeviceFieldValues } from './DeviceFields';
import { OnHoursEditor } from './OnHoursEditor';

export interface EditDeviceDialogProps {
  device: DeviceView;
  villages: readonly Village[];
  update: (body: UpdateDeviceRequest) => Promise<Ack<DeviceView>>;
  onDone: (device: DeviceView) => void;
  onClose: () => void;
}

/** 编辑设备: name, village, place and on-hours, sent together (`PATCH /api/devices/:id`). */
export function EditDeviceDialog({ device, villages, update, onDone, onClose }: EditDeviceDialogProps) {
  const { t } = useI18n();
  const e = t.devices.edit;
  const [fields, setFields] = useState<DeviceFieldValues>({ name: device.name, villageId: device.villageId, location: device.location });
  const [hours, setHours] = useState(() => draftOf(device.onHours));
  const [problems, setProblems] = useState<OnHoursProblems>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const onHours = toOnHours(hours);
    setProblems(onHours.ok ? {} : onHours.problems);
    const parsed = updateDeviceRequest.safeParse({ ...fields, onHours: onHours.ok ? onHours.value : null });
    if (!parsed.success) return setFailure(invalidPayload(parsed.error));
    if (!onHours.ok) return setFailure(null);
    setBusy(true);
    const ack = await update(parsed.data);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  return (
    <Dialog id="edit-device-dialog" heading={e.heading(device.name)} onClose={onClose} wide>
      <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
        <div class="two-columns">
          <div>
            <DeviceFields idPrefix="edit-device" values={fields} villages={villages} failure={failure} onChange={setFields} />
          </div>
          <OnHoursEditor draft={hours} onChange={setHours} problems={problems} error={fieldErrorFor(failure, 'onHours')} />
        </div>
        {Object.keys(problems).length > 0 && failure === null && (
          <p class="form-error" role="alert">
            <strong>{t.form.fix}</strong>
          </p>
        )}
        <DialogActions failure={failure} busy={busy} submitLabel={e.submit} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
