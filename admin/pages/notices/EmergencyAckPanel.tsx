import type { ErrorCode, Village } from '@protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { AdminApi, DeviceView, EmergencyAckView } from '../../lib/api';
import { formatDateTime, formatTime } from '../../lib/format';

/** How often the open panel asks again; device events (a kiosk connecting, a heartbeat) also trigger a refresh. */
export const ACK_REFRESH_MS = 5_000;

export interface EmergencyAckPanelProps {
  api: Pick<AdminApi, 'emergencyAcks'>;
  noticeId: string;
  /** The live device list: a change (pushed over the socket) refreshes the panel, and its online state is the fresher one. */
  devices: readonly DeviceView[];
  villages: readonly Village[];
  refreshMs?: number;
}

/**
 * 确认接收: every kiosk the live emergency warning targets, with when it
 * acknowledged the warning on screen or 未确认, and whether it is online.
 */
export function EmergencyAckPanel({ api, noticeId, devices, villages, refreshMs = ACK_REFRESH_MS }: EmergencyAckPanelProps) {
  const { t } = useI18n();
  const a = t.acks;
  const [view, setView] = useState<EmergencyAckView | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  /** The warning is no longer live (expired or cancelled): asking again would only repeat the 404. */
  const gone = useRef(false);

  const load = async (): Promise<void> => {
    if (inFlight.current || gone.current) return;
    inFlight.current = true;
    const ack = await api.emergencyAcks(noticeId);
    inFlight.current = false;
    if (!mounted.current) return;
    if (ack.ok) {
      setView(ack.data);
      setError(null);
      return;
    }
    if (ack.error === 'not_found') {
      gone.current = true;
      setView(null);
    }
    setError(ack.error);
  };

  useEffect(() => {
    mounted.current = true;
    gone.current = false;
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [api, noticeId, refreshMs]);

  // First load, and again whenever a device changes (online, offline, a heartbeat after showing the warning).
  useEffect(() => void load(), [api, noticeId, devices]);

  // No live warning (expired, cancelled or withdrawn meanwhile): nothing to acknowledge.
  if (error === 'not_found') return null;
  const rows = (view?.devices ?? []).map((row) => ({ ...row, online: devices.find((d) => d.id === row.deviceId)?.online ?? row.online }));
  const acknowledged = rows.filter((r) => r.acknowledgedAt !== null).length;
  return (
    <section class="card acks" aria-labelledby="acks-heading" data-acks-for={noticeId}>
      <h2 id="acks-heading">{a.heading}</h2>
      <p class="hint">{a.intro}</p>
      {error && (
        <p class="warn-text" role="status">
          {a.failed}
        </p>
      )}
      {view === null && !error && <p class="loading">{t.common.loading}</p>}
      {view !== null && rows.length === 0 && <p class="empty">{a.none}</p>}
      {rows.length > 0 && (
        <>
          <p>
            <strong data-acknowledged={acknowledged} data-targeted={rows.length}>
              {a.summary(acknowledged, rows.length)}
            </strong>
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{a.columns.device}</th>
                  <th scope="col">{a.columns.village}</th>
                  <th scope="col">{a.columns.online}</th>
                  <th scope="col">{a.columns.ack}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.deviceId} data-device-id={row.deviceId} data-acknowledged={String(row.acknowledgedAt !== null)}>
                    <th scope="row">{row.name}</th>
                    <td class="nowrap">{villages.find((v) => v.id === row.villageId)?.name ?? row.villageId}</td>
                    <td class="nowrap">
                      <span class={row.online ? 'presence presence-online' : 'presence presence-offline'}>
                        <span class="presence-dot" aria-hidden="true" />
                        {row.online ? t.devices.online : t.devices.offline}
                      </span>
                    </td>
                    <td class="nowrap">
                      {row.acknowledgedAt === null ? (
                        <span class="ack-pending">
                          <span aria-hidden="true">⚠ </span>
                          {a.pending}
                        </span>
                      ) : (
                        <span class="ack-done">
                          <span aria-hidden="true">✓ </span>
                          {`${formatDateTime(row.acknowledgedAt).slice(0, 10)} ${formatTime(row.acknowledgedAt)}`}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
