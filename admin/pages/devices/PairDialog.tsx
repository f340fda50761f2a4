import { type Ack, type Failure, type PairDeviceRequest, type Village, invalidPayload, pairDeviceRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { Field, FieldSet } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { DeviceFields, type DeviceFieldValues } from './DeviceFields';

export type PairKind = 'kiosk' | 'node';

export interface PairDialogProps {
  /** What the dialog was opened for; staff may still switch it. */
  kind?: PairKind;
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

/**
 * 配对新触摸屏 / 配对村级节点: the 6-digit code the new kiosk shows (or the
 * village node prints), then whether it is a kiosk or a village node, its
 * name, village and place.
 */
export function PairDialog({ kind: initialKind = 'kiosk', villages, pair, onPaired, onClose }: PairDialogProps) {
  const { t } = useI18n();
  const p = t.devices.pair;
  const [kind, setKind] = useState<PairKind>(initialKind);
  const [code, setCode] = useState('');
  const [fields, setFields] = useState<DeviceFieldValues>({ name: '', villageId: '', location: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: PairDeviceRequest = { code: code.replace(/\s/g, ''), ...fields, kind };
    const local = checkPairing(body);
    if (local) return setFailure(local);
    setBusy(true);
    const ack = await pair({ ...body, name: fields.name.trim(), location: fields.location.trim() });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onPaired(ack.data);
  };

  const codeError = fieldErrorFor(failure, 'code');
  const kindError = fieldErrorFor(failure, 'kind');
  const node = kind === 'node';
  return (
    <Dialog id="pair-dialog" heading={node ? p.headingNode : p.open} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <FieldSet id="pair-kind" class="pair-kind" legend={p.kind} error={kindError}>
          {(['kiosk', 'node'] as const).map((k) => (
            <label class="choice" key={k}>
              <input type="radio" name="pair-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k === 'kiosk' ? p.kindKiosk : p.kindNode}
            </label>
          ))}
        </FieldSet>
        <p class="intro">{node ? p.introNode : p.intro}</p>
        <Field id="pair-code" label={p.code} hint={node ? p.codeHintNode : p.codeHint} error={codeError}>
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
