import { DEFAULT_OFFLINE_ALERT_MINUTES, type SignView, type Village } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { Flash } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { DeviceView, TownSettings } from '../../lib/api';
import { offlineAlerts } from '../../lib/deviceHealth';
import { formatDateTime } from '../../lib/format';
import { isAdmin } from '../../lib/permissions';
import { type SignsApi, createSignsApi } from '../../lib/signsApi';
import type { PageProps } from '../types';
import { DeviceForm } from './DeviceForm';
import { DeviceSettingsForm } from './DeviceSettingsForm';
import { DeviceTable } from './DeviceTable';
import { EmergencySettingsForm } from './EmergencySettingsForm';
import { PublicUrlAlert, SoundAlert } from './KioskSetupAlerts';
import { EditDeviceDialog } from './EditDeviceDialog';
import { PairDialog, type PairKind } from './PairDialog';
import { RevokeDialog } from './RevokeDialog';

/** How often the open page asks for the list again (see the effect below). */
const REFRESH_MS = 60_000;

type Open = { kind: 'pair'; as: PairKind } | { kind: 'edit'; device: DeviceView } | { kind: 'revoke'; device: DeviceView } | null;

/** Devices offline longer than the town's threshold, by name, village and when they were last seen. */
export function OfflineAlert({
  devices,
  villages,
  minutes,
}: {
  devices: readonly DeviceView[];
  villages: readonly Village[];
  minutes: number;
}) {
  const { t } = useI18n();
  const d = t.devices;
  const late = offlineAlerts(devices);
  if (late.length === 0) return null;
  return (
    <section class="alert-banner" aria-labelledby="offline-alert-heading" data-offline-alert={late.length}>
      <h2 id="offline-alert-heading">
        <span aria-hidden="true">⚠ </span>
        {d.alert(late.length, minutes)}
      </h2>
      <ul>
        {late.map((device) => (
          <li key={device.id} data-device-id={device.id}>
            {d.alertItem(
              device.name,
              villages.find((v) => v.id === device.villageId)?.name ?? device.villageId,
              device.lastSeenAt === null ? d.never : formatDateTime(device.lastSeenAt),
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Replaces the sign with the same id, or adds it. */
const upsertSign = (list: readonly SignView[] | null, sign: SignView): SignView[] =>
  list?.some((x) => x.id === sign.id) ? list.map((x) => (x.id === sign.id ? sign : x)) : [...(list ?? []), sign];

/**
 * The signs behind village nodes, live while the page is open and the town has a node (a town of kiosks only
 * opens no sign watch).
 */
function useNodeSigns(signsApi: SignsApi, watching: boolean): SignView[] | null {
  const [signs, setSigns] = useState<SignView[] | null>(null);
  useEffect(() => {
    if (!watching) return;
    return signsApi.watch({
      snapshot: ({ signs: all }) => setSigns(all.filter((s) => s.nodeId !== null)),
      status: (sign) => setSigns((old) => (sign.nodeId === null ? (old?.filter((x) => x.id !== sign.id) ?? null) : upsertSign(old, sign))),
      frame: () => undefined,
      removed: (id) => setSigns((old) => old?.filter((x) => x.id !== id) ?? old),
      offline: () => undefined,
    });
  }, [signsApi, watching]);
  return signs;
}

/**
 * 设备: the monitor of every kiosk and village node (with the signs behind each node), with pairing, editing,
 * revocation and the device settings for admins.
 */
export function DevicesPage({
  api,
  data,
  user,
  signs: signsApi,
}: Omit<PageProps<'town' | 'devices' | 'reloadDevices'>, 'go'> & {
  signs?: SignsApi;
}) {
  const { t } = useI18n();
  const d = t.devices;
  const villages = data.town?.villages ?? [];
  const admin = isAdmin(user);
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  const [settings, setSettings] = useState<TownSettings | null>(null);
  const [signs] = useState(() => signsApi ?? createSignsApi());
  const nodeSigns = useNodeSigns(
    signs,
    data.devices.some((x) => x.kind === 'node' && x.revokedAt === null),
  );

  useEffect(() => {
    let current = true;
    void api.settings().then((ack) => {
      if (current && ack.ok) setSettings(ack.data);
    });
    return () => void (current = false);
  }, [api]);

  // Each device's status, offline alert and ledger witness alarm are pushed as they change (useAdminData); the list
  // is also fetched on opening the page and now and then while it is open, in case a push was missed while the
  // live link was down.
  useEffect(() => {
    const reload = (): void => void data.reloadDevices();
    reload();
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [data.reloadDevices]);

  const finish = (message: string): void => {
    setOpen(null);
    setDone(message);
    void data.reloadDevices();
  };

  return (
    <section aria-labelledby="devices-heading">
      <div class="section-head">
        <h1 id="devices-heading">{d.heading}</h1>
        {admin && (
          <div class="actions">
            <button type="button" class="primary" onClick={() => setOpen({ kind: 'pair', as: 'kiosk' })}>
              {d.pair.open}
            </button>
            <button type="button" onClick={() => setOpen({ kind: 'pair', as: 'node' })}>
              {d.pair.openNode}
            </button>
          </div>
        )}
      </div>
      <Flash message={done} />
      <PublicUrlAlert load={api.publicUrl} />
      <SoundAlert devices={data.devices} />
      <OfflineAlert devices={data.devices} villages={villages} minutes={settings?.offlineAlertMinutes ?? DEFAULT_OFFLINE_ALERT_MINUTES} />
      <DeviceTable
        devices={data.devices}
        villages={villages}
        signs={nodeSigns}
        {...(admin
          ? {
              onEdit: (device: DeviceView) => setOpen({ kind: 'edit', device }),
              onRevoke: (device: DeviceView) => setOpen({ kind: 'revoke', device }),
            }
          : {})}
      />
      {admin ? (
        <>
          <details class="card link-option">
            <summary>{d.linkOption}</summary>
            <DeviceForm villages={villages} create={(body) => api.createDevice(body)} onCreated={() => void data.reloadDevices()} />
          </details>
          <DeviceSettingsForm settings={settings} save={(body) => api.saveDeviceSettings(body)} onSaved={setSettings} />
          <EmergencySettingsForm settings={settings} save={(body) => api.saveEmergencySettings(body)} onSaved={setSettings} />
        </>
      ) : (
        <p class="hint">{d.adminOnly}</p>
      )}
      {open?.kind === 'pair' && (
        <PairDialog
          kind={open.as}
          villages={villages}
          pair={(body) => api.pairDevice(body)}
          onPaired={(device) => finish(device.kind === 'node' ? d.pair.doneNode(device.name) : d.pair.done(device.name))}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'edit' && (
        <EditDeviceDialog
          device={open.device}
          villages={villages}
          signs={nodeSigns}
          update={(body) => api.updateDevice(open.device.id, body)}
          onDone={(device) => finish(d.edit.done(device.name))}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'revoke' && (
        <RevokeDialog
          device={open.device}
          revoke={(reason) => api.revokeDevice(open.device.id, reason)}
          onDone={(device) => finish(d.revoke.done(device.name))}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
