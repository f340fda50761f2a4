/**
 * Reports from a real controller: a demo kiosk shows a notice, a villager
 * opens and rates it, staff record the same notice on the paper board and
 * something else on 政务微信; the statistics, timeliness, checks and
 * satisfaction reports (and their CSV) say so, and still do after a restart
 * from the snapshot and after a rebuild from the ledger alone.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DisclosureStats,
  type Playlist,
  type Satisfaction,
  type TimelinessRow,
  type VillageChecks,
  civilDateOf,
} from '../../../controller/protocol/index.js';
import { SNAPSHOT_FILE } from '../../../controller/reports/projection/store.js';
import { type ApiClient, type TestController, connectKiosk, data, nextEvent, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const today = civilDateOf(Date.now());
const month = today.slice(0, 7);
const range = `from=${today.slice(0, 8)}01&to=${today}`;

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

async function stats(): Promise<DisclosureStats> {
  return data((await s.editor.get<DisclosureStats>(`/api/reports/stats?${range}`)).body);
}

describe('statistics reports', () => {
  let noticeId = '';
  let baseline: DisclosureStats;

  it('count a notice shown on a kiosk and posted on the board once, on both channels', async () => {
    baseline = await stats();
    const kiosk = connectKiosk(t.url, { deviceId: 'demo-kiosk-v1' });
    const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
    const item = playlist.items[0]!;
    noticeId = item.noticeId;
    const now = Date.now();
    const base = { noticeId, contentHash: item.contentHash, clockTrusted: true };
    const receipts = [
      { kind: 'display' as const, receiptId: randomUUID(), ...base, startedAt: now - 60_000, endedAt: now - 30_000 },
      { kind: 'display' as const, receiptId: randomUUID(), ...base, startedAt: now - 20_000, endedAt: now - 5_000 },
      { kind: 'interaction' as const, action: 'opened' as const, receiptId: randomUUID(), ...base, at: now - 10_000 },
      {
        kind: 'interaction' as const,
        action: 'rated' as const,
        receiptId: randomUUID(),
        ...base,
        at: now - 9_000,
        rating: 2,
        comment: '字太小，看不清',
      },
    ];
    const ack = data(await kiosk.emitWithAck('display:report', { receipts }));
    expect(ack.recorded).toHaveLength(4);
    kiosk.close();

    await s.editor.post('/api/disclosures/manual', { channel: 'board', title: '同一公告的纸质张贴', noticeId, disclosedOn: today });
    await s.editor.post('/api/disclosures/manual', {
      channel: 'wechat',
      title: '政务微信推送',
      villageId: 'v1',
      category: 'v-affairs',
      keyAreas: ['应急'],
      disclosedOn: today,
    });

    const after = await stats();
    expect(after.total).toBe(baseline.total + 1);
    const count = (st: DisclosureStats, key: string) => st.byChannel.find((r) => r.key === key)?.count ?? 0;
    expect(count(after, 'kiosk')).toBe(count(baseline, 'kiosk') + 1);
    expect(count(after, 'board')).toBe(1);
    expect(count(after, 'wechat')).toBe(1);
    expect(after.byKeyArea.find((r) => r.key === '应急')?.count).toBeGreaterThanOrEqual(1);
    expect(after.byMonth.find((r) => r.key === month)?.count).toBe(after.total);
    expect(after.reviewed).toBeGreaterThan(0);

    const csv = await fetch(`${t.url}/api/reports/stats.csv?${range}`, { headers: { cookie: s.editor.cookie } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark, so spreadsheet programs read UTF-8 rather than GBK.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(`渠道,board,公示栏,1\r\n`);
    expect(text).toContain(`合计,total,全部,${after.total}\r\n`);
  });

  it('show timeliness, per-village checks and satisfaction', async () => {
    const rows = data((await s.editor.get<TimelinessRow[]>(`/api/reports/timeliness?${range}`)).body);
    const row = rows.find((r) => r.noticeId === noticeId);
    expect(row).toMatchObject({ approvedOn: today, firstShownOn: today, late: false });
    expect(row?.devices.find((d) => d.deviceId === 'demo-kiosk-v1')).toMatchObject({ firstShownOn: today, late: false });

    const checks = data((await s.editor.get<VillageChecks>(`/api/reports/checks?period=month&key=${month}`)).body);
    const v1 = checks.rows.find((r) => r.villageId === 'v1');
    expect(v1).toMatchObject({ showings: 2, interactions: 2, ratings: 1, averageRating: 2, manual: 1 });
    expect(checks.rows.find((r) => r.villageId === 'town')).toBeDefined();
    const quarter = data(
      (
        await s.editor.get<VillageChecks>(
          `/api/reports/checks?period=quarter&key=${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`,
        )
      ).body,
    );
    expect(quarter.rows.find((r) => r.villageId === 'v1')?.showings).toBe(2);
    expect((await s.editor.get(`/api/reports/checks?period=week&key=${month}`)).body).toMatchObject({
      fields: { period: expect.any(String) },
    });

    const sat = data((await s.editor.get<Satisfaction>(`/api/reports/satisfaction?${range}`)).body);
    expect(sat.byNotice.find((r) => r.key === noticeId)).toMatchObject({ counts: [0, 1, 0, 0, 0], total: 1, average: 2 });
    expect(sat.byVillage.find((r) => r.key === 'v1')?.total).toBe(1);
    expect(sat.comments).toMatchObject([{ noticeId, rating: 2, comment: '字太小，看不清' }]);
    const csv = await (await fetch(`${t.url}/api/reports/satisfaction.csv?${range}`, { headers: { cookie: s.editor.cookie } })).text();
    expect(csv).toContain('字太小，看不清');
  });

  it('refuse a bad range naming the field', async () => {
    expect((await s.editor.get(`/api/reports/stats?from=${today}&to=2000-01-01`)).body).toMatchObject({
      fields: { to: expect.any(String) },
    });
    expect((await s.editor.get('/api/reports/stats.csv?from=2026-13-01&to=2026-01-01')).body).toMatchObject({
      fields: { from: expect.any(String) },
    });
  });

  it('give the same figures after a restart from the snapshot and after a rebuild from the ledger alone', async () => {
    // The demo's emulated LED signs keep recording intervals, including while stopping and starting: compare all
    // but the LED channel (and the shown/not-shown split it moves).
    const figures = async () => {
      const st = await stats();
      return {
        stats: { ...st, byChannel: st.byChannel.filter((r) => r.key !== 'led' && r.key !== 'none') },
        sat: data((await s.editor.get<Satisfaction>(`/api/reports/satisfaction?${range}`)).body),
      };
    };
    const before = await figures();
    await t.stop();
    t = await startController({ dataDir: t.dataDir });
    s = await staff(t);
    expect(await figures()).toEqual(before);
    await t.stop();
    await rm(path.join(t.dataDir, SNAPSHOT_FILE));
    t = await startController({ dataDir: t.dataDir });
    s = await staff(t);
    expect(t.logs.some((l) => l.namespace.endsWith('aggregates') && /snapshot at 0/.test(l.message))).toBe(true);
    expect(await figures()).toEqual(before);
  }, 60_000);
});
