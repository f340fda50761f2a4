import type { SignView, Village } from '@protocol';
import { type Dictionary, useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { byStanding, clockOffset, isRevoked } from '../../lib/deviceHealth';
import { formatDateTime } from '../../lib/format';

export interface DeviceTableProps {
  devices: readonly DeviceView[];
  villages: readonly Village[];
  /** The signs behind village nodes (each with its `nodeId`), shown in their node's row; absent: not loaded. */
  signs?: readonly SignView[] | null;
  /** Admins get 编辑 and 吊销 per device; without these the table only shows. */
  onEdit?: (device: DeviceView) => void;
  onRevoke?: (device: DeviceView) => void;
}

function ClockCell({ offsetMs, t }: { offsetMs: number; t: Dictionary }) {
  const d = t.devices;
  const offset = clockOffset(offsetMs);
  const amount = d.duration(offset.minutes, offset.seconds);
  const text = offset.direction === 'exact' ? d.clockExact : offset.direction === 'ahead' ? d.clockAhead(amount) : d.clockBehind(amount);
  return (
    <span data-clock-flag={String(offset.flagged)}>
      {text}
      {offset.flagged && (
        <span class="flag flag-device-warn">
          <span aria-hidden="true">⚠</span> {d.clockFlag}
        </span>
      )}
    </span>
  );
}

function ReceiptsCell({ device, t }: { device: DeviceView; t: Dictionary }) {
  const d = t.devices;
  const status = device.status;
  return (
    <>
      {status && (
        <span class="receipt-counts">
          {d.queued(status.queued)}
          {status.quarantined > 0 && (
            <>
              {' · '}
              <span class="warn-text">{d.quarantined(status.quarantined)}</span>
            </>
          )}
        </span>
      )}
      {device.missingReceipts > 0 && (
        <span class="flag flag-device-danger" data-gap={device.missingReceipts}>
          <span aria-hidden="true">⚠</span> {d.missing(device.missingReceipts)}
        </span>
      )}
      {!status && device.missingReceipts === 0 && <span class="muted">—</span>}
    </>
  );
}

/** A village node's row: each sign behind it with its link and what it shows, as the node last reported. */
function NodeSignsCell({ device, signs, t }: { device: DeviceView; signs: readonly SignView[] | null | undefined; t: Dictionary }) {
  const n = t.devices.node;
  if (!signs) return <span class="muted">—</span>;
  const mine = signs.filter((s) => s.nodeId === device.id);
  if (mine.length === 0) return <span class="muted">{n.none}</span>;
  return (
    <>
      {!device.online && <p class="hint">{n.stale}</p>}
      <ul class="node-signs" aria-label={n.signs}>
        {mine.map((sign) => {
          const up = sign.link === 'up' && sign.reachable;
          return (
            <li key={sign.id} data-sign={sign.id} data-link={sign.link}>
              <span class={!device.online ? 'presence' : up ? 'presence presence-online' : 'presence presence-offline'}>
                <span class="presence-dot" aria-hidden="true" />
                {n.sign(sign.name, sign.link === 'up' && !sign.reachable ? t.signs.silent : t.signs.link[sign.link])}
              </span>
              <div class="node-sign-showing">
                {sign.showing ? `${sign.showing.text} · ${t.signs.proof[sign.showing.proof]}` : <span class="muted">{t.signs.blank}</span>}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/**
 * Every device with what staff need to see it is working: village and place,
 * online (words and colour), last seen, app build, what it shows now, clock
 * offset (flagged past 2 minutes), receipts waiting or lost, and revocation.
 */
export function DeviceTable({ devices, villages, signs, onEdit, onRevoke }: DeviceTableProps) {
  const { t } = useI18n();
  const d = t.devices;
  if (devices.length === 0) return <p class="empty">{d.empty}</p>;
  const actions = onEdit !== undefined || onRevoke !== undefined;
  return (
    <div class="table-wrap">
      <table class="devices">
        <thead>
          <tr>
            <th scope="col">{d.columns.name}</th>
            <th scope="col">{d.columns.village}</th>
            <th scope="col">{d.more.location}</th>
            <th scope="col">{d.columns.status}</th>
            <th scope="col">{d.columns.lastSeen}</th>
            <th scope="col">{d.more.build}</th>
            <th scope="col">{d.more.showing}</th>
            <th scope="col">{d.more.clock}</th>
            <th scope="col">{d.more.receipts}</th>
            {actions && <th scope="col">{d.more.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {byStanding(devices).map((device) => {
            const revoked = isRevoked(device);
            const status = revoked ? null : device.status;
            // What the device reports about the ledger, pushed with its status as it rises or clears.
            const witnessAlarm = device.witnessAlarm;
            return (
              <tr key={device.id} data-device-id={device.id} data-revoked={String(revoked)} class={revoked ? 'revoked' : undefined}>
                <th scope="row" class="device-name">
                  {device.name}
                  {device.kind === 'node' && <span class="tag tag-node">{d.kinds.node}</span>}
                  {device.demo && <span class="tag">{d.demo}</span>}
                  {!revoked && device.kind === 'kiosk' && (
                    <div>
                      <a href={device.kioskUrl} target="_blank" rel="noopener noreferrer" class="kiosk-link">
                        {d.open}
                      </a>
                    </div>
                  )}
                </th>
                <td class="nowrap">{villages.find((v) => v.id === device.villageId)?.name ?? device.villageId}</td>
                <td>{device.location || <span class="muted">—</span>}</td>
                <td class="status-cell">
                  {revoked ? (
                    <span class="badge badge-revoked">{d.revoked}</span>
                  ) : (
                    <span
                      class={device.online ? 'presence presence-online' : 'presence presence-offline'}
                      data-online={String(device.online)}
                    >
                      <span class="presence-dot" aria-hidden="true" />
                      {device.online ? d.online : d.offline}
                    </span>
                  )}
                  {revoked && device.revokedAt !== null && <div class="hint">{d.revokedOn(formatDateTime(device.revokedAt))}</div>}
                  {witnessAlarm && (
                    <div class="flag flag-device-danger" data-witness-alarm={witnessAlarm.kind} role="alert">
                      <span aria-hidden="true">⚠</span> {d.witnessAlarm(d.witnessKinds[witnessAlarm.kind])}
                      <div class="hint">{witnessAlarm.message}</div>
                    </div>
                  )}
                  {device.online && (status?.sound === 'blocked' || status?.sound === 'none') && (
                    <div class="flag flag-device-warn" data-sound={status.sound}>
                      <span aria-hidden="true">⚠</span> {d.sound[status.sound]}
                    </div>
                  )}
                </td>
                <td class="nowrap">{device.lastSeenAt === null ? d.never : formatDateTime(device.lastSeenAt)}</td>
                <td class="nowrap">{status ? <code>{status.build}</code> : <span class="muted">{revoked ? '—' : d.noHeartbeat}</span>}</td>
                <td>
                  {device.kind === 'node' && !revoked ? (
                    <NodeSignsCell device={device} signs={signs} t={t} />
                  ) : status ? (
                    status.showing ? (
                      (status.showing.title ?? d.unknownNotice)
                    ) : (
                      <span class="muted">{d.nothingShown}</span>
                    )
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td class="clock-cell">{status ? <ClockCell offsetMs={status.clockOffsetMs} t={t} /> : <span class="muted">—</span>}</td>
                <td class="receipts-cell">
                  <ReceiptsCell device={device} t={t} />
                </td>
                {actions && (
                  <td class="actions-cell">
                    {!revoked && (
                      <div class="actions">
                        {onEdit && (
                          <button type="button" aria-label={d.edit.label(device.name)} onClick={() => onEdit(device)}>
                            {d.edit.button}
                          </button>
                        )}
                        {onRevoke && !device.demo && (
                          <button type="button" class="danger" aria-label={d.revoke.label(device.name)} onClick={() => onRevoke(device)}>
                            {d.revoke.button}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
