import {
  type Ack,
  type Failure,
  type SignView,
  type UpdateDeviceRequest,
  type Village,
  invalidPayload,
  updateDeviceRequest,
} from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { type Dictionary, useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { type OnHoursProblems, draftOf, toOnHours } from '../../lib/onHours';
import { DeviceFields, type DeviceFieldValues } from './DeviceFields';
import { OnHoursEditor } from './OnHoursEditor';

export interface EditDeviceDialogProps {
  device: DeviceView;
  villages: readonly Village[];
  /** The signs behind village nodes (a node's dialog lists its own); absent or null: not loaded. */
  signs?: readonly SignView[] | null;
  update: (body: UpdateDeviceRequest) => Promise<Ack<DeviceView>>;
  onDone: (device: DeviceView) => void;
  onClose: () => void;
}

/** What belongs to a village node besides its name and place: the signs attached to it (edited on the signs page). */
function NodeSigns({
  device,
  signs,
  villages,
  t,
}: {
  device: DeviceView;
  signs: readonly SignView[] | null | undefined;
  villages: readonly Village[];
  t: Dictionary;
}) {
  const e = t.devices.edit;
  const mine = signs?.filter((s) => s.nodeId === device.id) ?? null;
  return (
    <section class="node-edit-signs" aria-labelledby="edit-node-signs-heading">
      <h3 id="edit-node-signs-heading">{e.nodeSigns}</h3>
      {mine === null ? (
        <p class="muted">…</p>
      ) : mine.length === 0 ? (
        <p class="muted">{e.nodeNoSigns}</p>
      ) : (
        <ul>
          {mine.map((sign) => (
            <li key={sign.id} data-sign={sign.id}>
              {e.nodeSign(sign.name, villages.find((v) => v.id === sign.villageId)?.name ?? sign.villageId, sign.portPath)}
              {' · '}
              {sign.link === 'up' && !sign.reachable ? t.signs.silent : t.signs.link[sign.link]}
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{e.nodeSignsHint}</p>
    </section>
  );
}

/**
 * 编辑设备: name, village and place, sent together (`PATCH /api/devices/:id`); a kiosk's on-hours beside them, a
 * village node's signs instead (a node has no screen).
 */
export function EditDeviceDialog({ device, villages, signs, update, onDone, onClose }: EditDeviceDialogProps) {
  const { t } = useI18n();
  const e = t.devices.edit;
  const node = device.kind === 'node';
  const [fields, setFields] = useState<DeviceFieldValues>({ name: device.name, villageId: device.villageId, location: device.location });
  const [hours, setHours] = useState(() => draftOf(device.onHours));
  const [problems, setProblems] = useState<OnHoursProblems>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const onHours = node ? null : toOnHours(hours);
    setProblems(onHours === null || onHours.ok ? {} : onHours.problems);
    const parsed = updateDeviceRequest.safeParse(onHours === null ? fields : { ...fields, onHours: onHours.ok ? onHours.value : null });
    if (!parsed.success) return setFailure(invalidPayload(parsed.error));
    if (onHours !== null && !onHours.ok) return setFailure(null);
    setBusy(true);
    const ack = await update(parsed.data);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  return (
    <Dialog id="edit-device-dialog" heading={node ? e.nodeHeading(device.name) : e.heading(device.name)} onClose={onClose} wide>
      <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
        <div class="two-columns">
          <div>
            <DeviceFields idPrefix="edit-device" values={fields} villages={villages} failure={failure} onChange={setFields} />
          </div>
          {node ? (
            <NodeSigns device={device} signs={signs} villages={villages} t={t} />
          ) : (
            <OnHoursEditor draft={hours} onChange={setHours} problems={problems} error={fieldErrorFor(failure, 'onHours')} />
          )}
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
