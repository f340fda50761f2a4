import {
  type Ack,
  type Device,
  type Failure,
  SIGN_BAUD_RATES,
  SIGN_PROTOCOLS,
  type SignProfile,
  type SignProfileInput,
  type Village,
  invalidPayload,
  signProfileSchema,
} from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { describe, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { PROTOCOL_NAMES } from '../../lib/signDescription';

export interface SignProfileDialogProps {
  /** The saved profile to edit; null adds a new sign. */
  profile: SignProfile | null;
  villages: readonly Village[];
  /** The town's paired village nodes (not revoked): a sign is driven by the controller itself or by one of them. */
  nodes: readonly Pick<Device, 'id' | 'name' | 'villageId' | 'online'>[];
  /** `POST /api/signs` for a new sign, `PUT /api/signs/:id/profile` for an edit. */
  save: (profile: SignProfileInput) => Promise<Ack<SignProfile>>;
  onDone: (profile: SignProfile) => void;
  onClose: () => void;
}

/** The form as typed: numbers stay text until sent, so a wrong entry reaches the schema and is named. */
interface Draft {
  id: string;
  name: string;
  villageId: string;
  /** '' for the controller itself, else the village node's device id. */
  node: string;
  protocol: string;
  portPath: string;
  baudRate: string;
  dataBits: string;
  parity: string;
  stopBits: string;
  address: string;
  deviceType: string;
  widthPx: string;
  heightPx: string;
  colour: string;
  charset: string;
  a306Layout: string;
  xUnit: string;
  yUnit: string;
  layout: string;
  alwaysOn: boolean;
  onAt: string;
  offAt: string;
  day: string;
  night: string;
  nightFrom: string;
  nightTo: string;
}

function draftOf(p: SignProfile | null): Draft {
  return {
    id: p?.id ?? '',
    name: p?.name ?? '',
    villageId: p?.villageId ?? '',
    node: p?.node ?? '',
    protocol: p?.protocol ?? 'bx5k',
    portPath: p?.port.path ?? '',
    baudRate: String(p?.port.baudRate ?? 9600),
    dataBits: String(p?.port.dataBits ?? 8),
    parity: p?.port.parity ?? 'none',
    stopBits: String(p?.port.stopBits ?? 1),
    address: String(p?.address ?? 1),
    deviceType: String(p?.deviceType ?? 0xfe),
    widthPx: p ? String(p.widthPx) : '',
    heightPx: p ? String(p.heightPx) : '',
    colour: p?.colour ?? 'mono',
    charset: p?.charset ?? 'gb2312',
    a306Layout: p?.a306Layout ?? 'with-area-count',
    xUnit: p?.xUnit ?? 'bytes',
    yUnit: p?.yUnit ?? 'pixels',
    layout: p?.layout ?? 'pages',
    alwaysOn: p ? p.onHours === null : true,
    onAt: p?.onHours?.on ?? '06:00',
    offAt: p?.onHours?.off ?? '22:00',
    day: String(p?.brightness.day ?? 15),
    night: String(p?.brightness.night ?? 4),
    nightFrom: p?.brightness.nightFrom ?? '19:00',
    nightTo: p?.brightness.nightTo ?? '06:30',
  };
}

/** A number when the box holds one; otherwise the text itself, which the schema then refuses by name. */
const num = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** The body the controller expects (`signProfileSchema`), keeping what the form does not show (DTR, emulation). */
function profileBody(d: Draft, original: SignProfile | null): Record<string, unknown> {
  return {
    id: d.id.trim(),
    name: d.name,
    villageId: d.villageId,
    protocol: d.protocol,
    port: {
      path: d.portPath,
      baudRate: num(d.baudRate),
      dataBits: num(d.dataBits),
      parity: d.parity,
      stopBits: num(d.stopBits),
      hupcl: original?.port.hupcl ?? true,
      dtr: original?.port.dtr ?? null,
    },
    address: num(d.address),
    deviceType: num(d.deviceType),
    widthPx: num(d.widthPx),
    heightPx: num(d.heightPx),
    colour: d.colour,
    charset: d.charset,
    a306Layout: d.a306Layout,
    xUnit: d.xUnit,
    yUnit: d.yUnit,
    layout: d.layout,
    onHours: d.alwaysOn ? null : { on: d.onAt, off: d.offAt },
    brightness: { day: num(d.day), night: num(d.night), nightFrom: d.nightFrom, nightTo: d.nightTo },
    emulated: original?.emulated ?? false,
    node: d.node === '' ? null : d.node,
  };
}

const domId = (path: string): string => `sign-${path.replace(/\./g, '-')}`;

/**
 * 添加LED屏 / 编辑配置: every field of a sign's profile, checked with the
 * controller's own schema before sending, and each refusal shown under its field.
 */
export function SignProfileDialog({ profile, villages, nodes, save, onDone, onClose }: SignProfileDialogProps) {
  const { t } = useI18n();
  const p = t.signs.profile;
  const [draft, setDraft] = useState(() => draftOf(profile));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const set = (change: Partial<Draft>): void => setDraft((d) => ({ ...d, ...change }));
  const error = (path: string): string | null => fieldErrorFor(failure, path);

  const text = (path: string, key: keyof Draft, extra: Record<string, unknown> = {}) => (
    <input
      id={domId(path)}
      value={draft[key] as string}
      onInput={(e) => set({ [key]: e.currentTarget.value })}
      {...describe(domId(path), error(path), extra.hint === true)}
      {...(extra.inputMode ? { inputMode: extra.inputMode as 'numeric' } : {})}
      {...(extra.disabled ? { disabled: true } : {})}
      autoComplete="off"
    />
  );
  const select = (path: string, key: keyof Draft, options: readonly (readonly [string, string])[]) => (
    <select
      id={domId(path)}
      value={draft[key] as string}
      onChange={(e) => set({ [key]: e.currentTarget.value })}
      {...describe(domId(path), error(path))}
    >
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const parsed = signProfileSchema.safeParse(profileBody(draft, profile));
    if (!parsed.success) return setFailure(invalidPayload(parsed.error));
    setBusy(true);
    const ack = await save(parsed.data);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  return (
    <Dialog id="sign-profile-dialog" heading={profile ? p.editHeading(profile.name) : p.addHeading} onClose={onClose} wide>
      <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
        <div class="two-columns">
          <div>
            <Field id={domId('id')} path="id" label={p.id} error={error('id')} hint={p.idHint}>
              {text('id', 'id', { hint: true, disabled: profile !== null })}
            </Field>
            <Field id={domId('name')} path="name" label={p.name} error={error('name')}>
              {text('name', 'name')}
            </Field>
            <Field id={domId('villageId')} path="villageId" label={p.village} error={error('villageId')}>
              {select('villageId', 'villageId', [['', p.chooseVillage], ...villages.map((v) => [v.id, v.name] as const)])}
            </Field>
            <Field id={domId('node')} path="node" label={p.driver} error={error('node')} hint={p.driverHint}>
              {(control) => (
                <select {...control} value={draft.node} onChange={(e) => set({ node: e.currentTarget.value })}>
                  <option value="">{p.controller}</option>
                  {nodes.map((n) => (
                    <option key={n.id} value={n.id}>
                      {p.nodeOption(n.name, villages.find((v) => v.id === n.villageId)?.name ?? n.villageId, n.online)}
                    </option>
                  ))}
                  {draft.node !== '' && !nodes.some((n) => n.id === draft.node) && (
                    <option value={draft.node}>{p.unknownNode(draft.node)}</option>
                  )}
                </select>
              )}
            </Field>
            <fieldset>
              <legend>{p.connection}</legend>
              <Field id={domId('port.path')} path="port.path" label={p.portPath} error={error('port.path')} hint={p.portHint}>
                {text('port.path', 'portPath', { hint: true })}
              </Field>
              <Field id={domId('port.baudRate')} path="port.baudRate" label={p.baudRate} error={error('port.baudRate')}>
                {select(
                  'port.baudRate',
                  'baudRate',
                  SIGN_BAUD_RATES.map((b) => [String(b), String(b)] as const),
                )}
              </Field>
              <Field id={domId('port.dataBits')} path="port.dataBits" label={p.dataBits} error={error('port.dataBits')}>
                {select('port.dataBits', 'dataBits', [
                  ['8', '8'],
                  ['7', '7'],
                ])}
              </Field>
              <Field id={domId('port.parity')} path="port.parity" label={p.parity} error={error('port.parity')}>
                {select(
                  'port.parity',
                  'parity',
                  (['none', 'even', 'odd'] as const).map((x) => [x, p.parities[x]] as const),
                )}
              </Field>
              <Field id={domId('port.stopBits')} path="port.stopBits" label={p.stopBits} error={error('port.stopBits')}>
                {select('port.stopBits', 'stopBits', [
                  ['1', '1'],
                  ['2', '2'],
                ])}
              </Field>
            </fieldset>
            <fieldset>
              <legend>{p.device}</legend>
              <Field id={domId('protocol')} path="protocol" label={p.protocol} error={error('protocol')}>
                {select(
                  'protocol',
                  'protocol',
                  SIGN_PROTOCOLS.map((x) => [x, PROTOCOL_NAMES[x] ?? x] as const),
                )}
              </Field>
              <Field id={domId('address')} path="address" label={p.address} error={error('address')} hint={p.addressHint}>
                {text('address', 'address', { hint: true, inputMode: 'numeric' })}
              </Field>
              <Field id={domId('deviceType')} path="deviceType" label={p.deviceType} error={error('deviceType')} hint={p.deviceTypeHint}>
                {text('deviceType', 'deviceType', { hint: true, inputMode: 'numeric' })}
              </Field>
            </fieldset>
          </div>
          <div>
            <fieldset>
              <legend>{p.geometry}</legend>
              <Field id={domId('widthPx')} path="widthPx" label={p.widthPx} error={error('widthPx')}>
                {text('widthPx', 'widthPx', { inputMode: 'numeric' })}
              </Field>
              <Field id={domId('heightPx')} path="heightPx" label={p.heightPx} error={error('heightPx')}>
                {text('heightPx', 'heightPx', { inputMode: 'numeric' })}
              </Field>
              <Field id={domId('colour')} path="colour" label={p.colour} error={error('colour')}>
                {select(
                  'colour',
                  'colour',
                  (['mono', 'dual'] as const).map((x) => [x, p.colours[x]] as const),
                )}
              </Field>
              <Field id={domId('charset')} path="charset" label={p.charset} error={error('charset')}>
                {select('charset', 'charset', [
                  ['gb2312', 'GB2312'],
                  ['gbk', 'GBK'],
                ])}
              </Field>
              <Field id={domId('a306Layout')} path="a306Layout" label={p.a306Layout} error={error('a306Layout')}>
                {select(
                  'a306Layout',
                  'a306Layout',
                  (['with-area-count', 'without-area-count'] as const).map((x) => [x, p.a306Layouts[x]] as const),
                )}
              </Field>
              <Field id={domId('xUnit')} path="xUnit" label={p.xUnit} error={error('xUnit')}>
                {select(
                  'xUnit',
                  'xUnit',
                  (['bytes', 'pixels'] as const).map((x) => [x, p.units[x]] as const),
                )}
              </Field>
              <Field id={domId('yUnit')} path="yUnit" label={p.yUnit} error={error('yUnit')}>
                {select(
                  'yUnit',
                  'yUnit',
                  (['pixels', 'bytes'] as const).map((x) => [x, p.units[x]] as const),
                )}
              </Field>
              <Field id={domId('layout')} path="layout" label={p.layout} error={error('layout')}>
                {select(
                  'layout',
                  'layout',
                  (['pages', 'scroll'] as const).map((x) => [x, p.layouts[x]] as const),
                )}
              </Field>
            </fieldset>
            <fieldset>
              <legend>{p.schedule}</legend>
              <label class="choice">
                <input type="checkbox" checked={draft.alwaysOn} onChange={(e) => set({ alwaysOn: e.currentTarget.checked })} />
                {p.alwaysOn}
              </label>
              {!draft.alwaysOn && (
                <>
                  <Field id={domId('onHours.on')} path="onHours.on" label={p.onAt} error={error('onHours.on')}>
                    {text('onHours.on', 'onAt')}
                  </Field>
                  <Field id={domId('onHours.off')} path="onHours.off" label={p.offAt} error={error('onHours.off')}>
                    {text('onHours.off', 'offAt')}
                  </Field>
                </>
              )}
              <Field id={domId('brightness.day')} path="brightness.day" label={p.dayBrightness} error={error('brightness.day')}>
                {text('brightness.day', 'day', { inputMode: 'numeric' })}
              </Field>
              <Field id={domId('brightness.night')} path="brightness.night" label={p.nightBrightness} error={error('brightness.night')}>
                {text('brightness.night', 'night', { inputMode: 'numeric' })}
              </Field>
              <Field
                id={domId('brightness.nightFrom')}
                path="brightness.nightFrom"
                label={p.nightFrom}
                error={error('brightness.nightFrom')}
              >
                {text('brightness.nightFrom', 'nightFrom')}
              </Field>
              <Field id={domId('brightness.nightTo')} path="brightness.nightTo" label={p.nightTo} error={error('brightness.nightTo')}>
                {text('brightness.nightTo', 'nightTo')}
              </Field>
            </fieldset>
          </div>
        </div>
        <DialogActions failure={failure} busy={busy} submitLabel={p.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
