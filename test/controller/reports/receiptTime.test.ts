/**
 * Receipt times are not trusted blindly (issue 12 point 5), on a real
 * controller (port 0, temp data dir, demo town) and real kiosk sockets, on a
 * clock the test moves. A notice is approved at 10:00 and shown on three
 * kiosks until 14:00, reported at 14:00:
 *
 * - 彪角村's kiosk runs a day ahead; the controller measured it at a
 *   heartbeat, and corrects the receipts by it;
 * - 张堂村's kiosk runs a day behind and says so in its receipts (its own
 *   measurement), and is corrected by that;
 * - a third, day-behind kiosk that has no measurement is not believed: its
 *   receipts would have the notice shown the day before it was approved;
 * - one receipt claims 0 … 8.64e12 ms (the latest time a receipt may name;
 *   8.64e15 is refused, naming the field): not believed, so its kiosk does
 *   not count as showing the notice for the whole window.
 *
 * What is not believed is left out of the compliance and timeliness reports
 * and shown apart there, with the reason; it stays so after a restart that
 * rebuilds the reports from the ledger.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComplianceReport,
  type ComplianceRow,
  type KioskReceipt,
  type Notice,
  type Playlist,
  type TimelinessRow,
  addCalendarDays,
  civilDateOf,
} from '../../../controller/protocol/index.js';
import { SNAPSHOT_FILE } from '../../../controller/reports/projection/store.js';
import {
  type ApiClient,
  type KioskClient,
  type TestController,
  connectKiosk,
  data,
  nextEvent,
  publishNotice,
  staff,
  startController,
} from '../../helpers/controller.js';

const H = 3_600_000;
const DAY_MS = 24 * H;
const T0 = Date.parse('2026-11-03T02:00:00Z'); // Tuesday 10:00 in China
const DAY = civilDateOf(T0);
const clock = { ms: T0 };
const at = (hours: number): number => T0 + hours * H;
let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let notice: Notice;

beforeAll(async () => {
  t = await startController({ clock: { now: () => clock.ms } });
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const publish = (villageIds: string[], title: string): Promise<Notice> => publishNotice(s, villageIds, title);

async function connect(deviceId: string): Promise<KioskClient> {
  const kiosk = connectKiosk(t.url, { deviceId });
  await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
  return kiosk;
}

/** Showings of 30 s every 10 minutes from `from` to `to` hours after T0, as read off a clock `skew` ms ahead. */
function showings(from: number, to: number, skew: number, extra: Partial<KioskReceipt> = {}): KioskReceipt[] {
  const out: KioskReceipt[] = [];
  for (let ms = at(from); ms <= at(to) - 30_000; ms += 10 * 60_000) {
    out.push({
      kind: 'display',
      receiptId: randomUUID(),
      noticeId: notice.id,
      contentHash: notice.live!.contentHash,
      startedAt: ms + skew,
      endedAt: ms + skew + 30_000,
      clockTrusted: skew === 0,
      ...extra,
    } as KioskReceipt);
  }
  return out;
}

const compliance = async (): Promise<ComplianceRow> => {
  const r = data((await s.editor.get<ComplianceReport>(`/api/reports/compliance?from=${DAY}&to=${addCalendarDays(DAY, 2)}`)).body);
  const row = r.rows.find((x) => x.noticeId === notice.id);
  if (!row) throw new Error('no compliance row');
  return row;
};
const timeliness = async (): Promise<TimelinessRow> => {
  const rows = data((await s.editor.get<TimelinessRow[]>(`/api/reports/timeliness?from=${addCalendarDays(DAY, -30)}&to=${DAY}`)).body);
  const row = rows.find((x) => x.noticeId === notice.id);
  if (!row) throw new Error('no timeliness row');
  return row;
};

describe('receipt times are bounded by what the controller knows', () => {
  const expectReports = async (): Promise<void> => {
    const row = await compliance();
    const device = (id: string) => row.devices.find((d) => d.deviceId === id);
    // Corrected by the measured offsets: shown from approval until the report, like a kiosk with a good clock.
    for (const id of ['demo-kiosk-v1', 'demo-kiosk-v2']) {
      expect(device(id)).toMatchObject({ firstShownAt: at(0), lastShownAt: at(4) - 10 * 60_000 + 30_000, untrusted: [] });
    }
    // Not believed: nothing shown, and the receipts counted apart with the reason.
    expect(device('demo-kiosk-v3')).toMatchObject({
      shownMs: 0,
      firstShownAt: null,
      untrusted: [{ reason: 'starts_before_approval', receipts: 24, claimedMs: 24 * 30_000 }],
    });
    expect(device('demo-kiosk-v4')).toMatchObject({
      shownMs: 0,
      firstShownAt: null,
      untrusted: [{ reason: 'ends_after_arrival', receipts: 1, claimedMs: 8.64e12 }],
    });
    expect(device('demo-kiosk-v4')?.gaps.map((g) => g.cause)).toEqual(['no_proof']);
    expect(row.compliant).toBe(false);

    const timely = await timeliness();
    expect(timely.approvedOn).toBe(DAY);
    expect(timely.firstShownOn).toBe(DAY);
    const perDevice = new Map(timely.devices.map((d) => [d.deviceId, d]));
    expect(perDevice.get('demo-kiosk-v1')).toMatchObject({ firstShownOn: DAY, untrusted: [] });
    expect(perDevice.get('demo-kiosk-v2')).toMatchObject({ firstShownOn: DAY, untrusted: [] });
    expect(perDevice.get('demo-kiosk-v3')).toMatchObject({
      firstShownOn: null,
      untrusted: [expect.objectContaining({ reason: 'starts_before_approval' })],
    });
    expect(perDevice.get('demo-kiosk-v4')).toMatchObject({
      firstShownOn: null,
      untrusted: [expect.objectContaining({ reason: 'ends_after_arrival' })],
    });
  };

  it('corrects by the measured offset, and leaves out what contradicts approval or arrival, with the reason', async () => {
    notice = await publish(['v1', 'v2', 'v3', 'v4'], '村级道路硬化工程公示');
    const ahead = await connect('demo-kiosk-v1');
    const behind = await connect('demo-kiosk-v2');
    const unmeasured = await connect('demo-kiosk-v3');
    const wild = await connect('demo-kiosk-v4');
    // The day-ahead kiosk's heartbeat: the controller measures its offset.
    data(
      await ahead.emitWithAck('device:heartbeat', { build: 'test', clock: clock.ms + DAY_MS, showing: null, queued: 0, quarantined: 0 }),
    );

    clock.ms = at(4);
    const batches: [KioskClient, KioskReceipt[]][] = [
      [ahead, showings(0, 4, DAY_MS)],
      [behind, showings(0, 4, -DAY_MS, { clockOffsetMs: -DAY_MS })],
      [unmeasured, showings(0, 4, -DAY_MS, { clockTrusted: true })],
      [wild, [{ ...showings(0, 1, 0)[0]!, startedAt: 0, endedAt: 8.64e12 } as KioskReceipt]],
    ];
    const far = { ...showings(0, 1, 0)[0]!, startedAt: 0, endedAt: 8.64e15 } as KioskReceipt;
    const refused = await wild.emitWithAck('display:report', { receipts: [far] });
    expect(refused).toMatchObject({ ok: false, error: 'invalid_payload', fields: { 'receipts.0.endedAt': expect.any(String) } });
    for (const [kiosk, receipts] of batches) {
      expect(data(await kiosk.emitWithAck('display:report', { receipts })).recorded).toHaveLength(receipts.length);
    }
    await expectReports();
    for (const k of [ahead, behind, unmeasured, wild]) k.close();
  });

  it('says the same after a restart that rebuilds the reports from the ledger', async () => {
    await t.stop();
    await rm(path.join(t.dataDir, SNAPSHOT_FILE), { force: true });
    t = await startController({ dataDir: t.dataDir, clock: { now: () => clock.ms } });
    s = await staff(t);
    await expectReports();
  });
});
