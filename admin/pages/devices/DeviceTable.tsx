import type { Village } from '@protocol';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { formatDateTime } from '../../lib/format';

export interface DeviceTableProps {
  devices: readonly DeviceView[];
  villages: readonly Village[];
}

/** Every device with its village, online state (words and colour) and the page a kiosk opens. */
export function DeviceTable({ devices, villages }: DeviceTableProps) {
  const { t } = useI18n();
  if (devices.length === 0) return <p class="empty">{t.devices.empty}</p>;
  return (
    <div class="table-wrap">
      <table class="devices">
        <thead>
          <tr>
            <th scope="col">{t.devices.columns.name}</th>
            <th scope="col">{t.devices.columns.village}</th>
            <th scope="col">{t.devices.columns.status}</th>
            <th scope="col">{t.devices.columns.lastSeen}</th>
            <th scope="col">{t.devices.columns.url}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-device-id={d.id}>
              <td>
                {d.name}
                {d.demo && <span class="tag">{t.devices.demo}</span>}
              </td>
              <td class="nowrap">{villages.find((v) => v.id === d.villageId)?.name ?? d.villageId}</td>
              <td class="nowrap">
                <span class={d.online ? 'presence presence-online' : 'presence presence-offline'} data-online={String(d.online)}>
                  <span class="presence-dot" aria-hidden="true" />
                  {d.online ? t.devices.online : t.devices.offline}
                </span>
              </td>
              <td class="nowrap">{d.lastSeenAt === null ? t.devices.never : formatDateTime(d.lastSeenAt)}</td>
              <td>
                <a href={d.kioskUrl} target="_blank" rel="noopener noreferrer" class="url">
                  {d.kioskUrl}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
