/**
 * What must hold after every scenario of the fault run: every receipt a kiosk
 * got acknowledged is in the ledger exactly once (and nothing is in it twice),
 * the chain verifies, each sign shows current content again, the admin's
 * device states match which kiosks are really cut off, and receipts a kiosk
 * lost show as sequence gaps.
 */
import type { Device, SignView } from '../../../controller/protocol/index.js';
import type { SimKioskSnapshot } from '../../helpers/simKiosk.js';
import type { ApiClient } from '../../helpers/controller.js';
import type { TcpProxy } from '../../helpers/tcpProxy.js';
import type { ControllerProcess } from './controllerProcess.js';
import { readLedger } from './controllerProcess.js';
import type { Fleet } from './fleet.js';
import type { SignLines } from './signLines.js';

export interface Run {
  dataDir: string;
  controller: ControllerProcess;
  /** Kiosk `deviceIds[i]` connects through `proxies[i]`. */
  deviceIds: string[];
  proxies: TcpProxy[];
  fleet: Fleet;
  signs: SignLines;
  staff: { editor: ApiClient; reviewer: ApiClient; login(): Promise<void> };
  /** The LED texts of the notices on the signs now. */
  ledTexts: string[];
}

/** Polls `probe` until it returns null (success) or `timeoutMs` passes; then throws with the last complaint. */
export async function within(timeoutMs: number, what: string, probe: () => Promise<string | null>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let complaint: string | null = 'not checked';
  while (Date.now() < deadline) {
    complaint = await probe().catch((error: unknown) => `probe failed: ${error instanceof Error ? error.message : String(error)}`);
    if (complaint === null) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not within ${timeoutMs} ms: ${complaint}`);
}

/** A staff GET that signs in again if the session is gone. */
export async function staffGet<T>(run: Run, route: string, as: 'editor' | 'reviewer' = 'editor'): Promise<T> {
  let res = await run.staff[as].get<T>(route);
  if (res.status === 401) {
    await run.staff.login();
    res = await run.staff[as].get<T>(route);
  }
  if (!res.body.ok) throw new Error(`GET ${route}: ${res.status} ${res.body.error}: ${res.body.message}`);
  return res.body.data;
}

const expectedOffline = (run: Run): Set<string> => new Set(run.deviceIds.filter((_, i) => run.proxies[i]?.mode() !== 'open'));

/** The admin's view of the kiosks matches reality: cut and stalled ones offline, the others online. */
export async function devicesMatch(run: Run, timeoutMs = 20_000): Promise<void> {
  const offline = expectedOffline(run);
  await within(timeoutMs, 'device states matching the network', async () => {
    const devices = await staffGet<Device[]>(run, '/api/devices');
    const wrong = run.deviceIds.filter((id) => devices.find((d) => d.id === id)?.online !== !offline.has(id));
    return wrong.length === 0
      ? null
      : `${wrong.length} wrong, e.g. ${wrong.slice(0, 5).join(', ')} (offline expected: ${[...offline].join(', ')})`;
  });
}

/** Stops new displays and waits until every reachable kiosk has had everything acknowledged. */
export async function drain(run: Run, timeoutMs = 45_000): Promise<SimKioskSnapshot[]> {
  await run.fleet.request({ type: 'produce', on: false });
  const offline = expectedOffline(run);
  let last: SimKioskSnapshot[] = [];
  await within(timeoutMs, 'kiosk outboxes empty', async () => {
    last = await run.fleet.snapshot();
    const busy = last.filter((k) => !offline.has(k.deviceId) && k.pending > 0);
    return busy.length === 0 ? null : `${busy.length} still hold receipts, e.g. ${busy[0]?.deviceId}: ${busy[0]?.pending}`;
  });
  return last;
}

/** Every acknowledged receipt in the ledger exactly once, nothing twice, nothing refused or set aside. */
export async function exactlyOnce(run: Run, snapshots: SimKioskSnapshot[]): Promise<{ acked: number; inLedger: number }> {
  const counts = new Map<string, number>();
  for (const record of await readLedger(run.dataDir)) {
    if (typeof record.receiptId === 'string') counts.set(record.receiptId, (counts.get(record.receiptId) ?? 0) + 1);
  }
  const problems: string[] = [];
  let acked = 0;
  for (const k of snapshots) {
    acked += k.acked.length;
    const missing = k.acked.filter((id) => !counts.has(id));
    if (missing.length > 0) problems.push(`${k.deviceId}: ${missing.length} acknowledged receipts missing from the ledger`);
    if (k.rejected.length > 0) problems.push(`${k.deviceId}: refused ${JSON.stringify(k.rejected[0])}`);
    if (k.quarantined > 0) problems.push(`${k.deviceId}: ${k.quarantined} receipts quarantined`);
  }
  const twice = [...counts].filter(([, n]) => n > 1);
  if (twice.length > 0) problems.push(`${twice.length} receipts in the ledger more than once, e.g. ${twice[0]?.[0]}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { acked, inLedger: counts.size };
}

/** The controller recomputes its own chain (the file is being appended to; it reads whole records). */
export async function chainVerifies(run: Run): Promise<number> {
  const result = await staffGet<{ ok: boolean; records?: number; problem?: string }>(run, '/api/ledger/verify', 'reviewer');
  if (!result.ok) throw new Error(`the chain does not verify: ${JSON.stringify(result)}`);
  return result.records ?? 0;
}

/** Each plugged-in sign shows one of the current notices' LED texts, and the controller sees its link up. */
export async function signsShowContent(run: Run, timeoutMs = 20_000): Promise<void> {
  await within(timeoutMs, 'every sign showing current content', async () => {
    const views = await staffGet<SignView[]>(run, '/api/signs');
    for (const line of run.signs.lines) {
      if (!line.plugged()) continue;
      // A sign breaks lines to fit its width; compare the characters.
      const text = line.emulator.texts().join('').replace(/\s+/g, '');
      if (!run.ledTexts.some((t) => text.includes(t.replace(/\s+/g, ''))))
        return `${line.sign.id} holds ${JSON.stringify(text.slice(0, 40))}`;
      const view = views.find((v) => v.id === line.sign.id);
      if (view?.link !== 'up') return `${line.sign.id}: the controller sees its link ${view?.link ?? 'missing'}`;
    }
    return null;
  });
}

/** Receipts lost on a kiosk show as exactly that many missing sequence numbers in the admin's view. */
export async function gapsReported(run: Run, snapshots: SimKioskSnapshot[]): Promise<void> {
  await run.fleet.request({ type: 'beat', deviceIds: run.deviceIds.filter((_, i) => run.proxies[i]?.mode() === 'open') });
  await within(10_000, 'receipt gaps as lost', async () => {
    const devices = await staffGet<Device[]>(run, '/api/devices');
    for (const k of snapshots) {
      const device = devices.find((d) => d.id === k.deviceId);
      if (device?.missingReceipts !== k.lost.length) return `${k.deviceId}: ${device?.missingReceipts} missing, lost ${k.lost.length}`;
    }
    return null;
  });
}

/** All of the above, for the end of a scenario; then displays resume. */
export async function checkAll(run: Run, label: string): Promise<string> {
  await devicesMatch(run);
  const snapshots = await drain(run);
  const { acked, inLedger } = await exactlyOnce(run, snapshots);
  const records = await chainVerifies(run);
  await signsShowContent(run);
  await gapsReported(run, snapshots);
  await run.fleet.request({ type: 'produce', on: true });
  return `${label}: ${acked} receipts acknowledged, ${inLedger} in the ledger, ${records} records verify`;
}
