/**
 * The posting-period compliance report from a real controller (port 0, temp
 * data dir, demo town) on a clock the test moves: a kiosk shows a notice,
 * goes offline mid-window and comes back; an LED sign's link is down for two
 * hours; the notice is withdrawn before its window ends. A second notice is
 * corrected (更正) while a kiosk keeps showing the old version for an hour.
 * The report names each gap exactly, with its cause, and the verdict; the CSV
 * says the same; and it still does after a restart that folds the sign's
 * records in from the ledger.
 *
 * The kiosk records come through the kiosk socket; the notice steps through
 * the HTTP API; the sign's display intervals and link outage are appended to
 * the data directory's ledger while the controller is stopped, in the shape
 * services/signs.ts writes them (a serial link cannot be cut on cue here).
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import {
  type ComplianceReport,
  type ComplianceRow,
  type Notice,
  type Playlist,
  addCalendarDays,
  civilDateOf,
  startOfCivilDay,
} from '../../../controller/protocol/index.js';
import { createLedger } from '../../../controller/store/ledger.js';
import {
  ATTESTATION,
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
const T0 = Date.parse('2026-11-02T02:00:00Z'); // Monday 10:00 in China
const DAY = civilDateOf(T0);
const clock = { ms: T0 };
const at = (hours: number): number => T0 + hours * H;
let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

beforeAll(async () => {
  t = await startController({ clock: { now: () => clock.ms } });
  s = await staff(t);
  // A sign of 张堂村 (v2) whose port does not exist: it records nothing itself; its records are written below.
  const profile = await s.admin.request('PUT', '/api/signs/test-sign/profile', {
    name: '测试村口屏',
    villageId: 'v2',
    protocol: 'bx5k',
    address: 1,
    port: { path: '/dev/gongshi-no-such-port', baudRate: 57600 },
    widthPx: 192,
    heightPx: 32,
    charset: 'gb2312',
  });
  expect(profile.body.ok).toBe(true);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const publish = (villageId: string, title: string): Promise<Notice> => publishNotice(s, [villageId], title);

async function poll(check: () => Promise<boolean>, failure: string): Promise<void> {
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (await check()) return;
  throw new Error(failure);
}

const online = async (deviceId: string): Promise<boolean> =>
  data((await s.admin.get<{ id: string; online: boolean }[]>('/api/devices')).body).find((d) => d.id === deviceId)?.online ?? false;

/** How many ledger records of `type` name the device (read from the files, as an auditor would). */
async function recorded(type: string, deviceId: string): Promise<number> {
  const dir = path.join(t.dataDir, 'ledger');
  let n = 0;
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      if (line.includes(`"type":"${type}"`) && line.includes(`"deviceId":"${deviceId}"`)) n++;
    }
  }
  return n;
}

/** Connects a demo kiosk and waits until its `device.online` record is written (at the test clock's time). */
async function connect(deviceId: string): Promise<KioskClient> {
  const before = await recorded('device.online', deviceId);
  const kiosk = connectKiosk(t.url, { deviceId });
  await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
  await poll(async () => (await online(deviceId)) && (await recorded('device.online', deviceId)) > before, `${deviceId} never came online`);
  return kiosk;
}

/** Closes a kiosk's connection and waits until the controller has it offline (the outage is recorded once the grace has passed). */
async function disconnect(kiosk: KioskClient, deviceId: string): Promise<void> {
  kiosk.close();
  await poll(async () => !(await online(deviceId)), `${deviceId} never went offline`);
}

/** Showings of 30 s every 10 minutes from `from` to `to` hours after T0, the last one ending at `to`. */
function showings(noticeId: string, contentHash: string, from: number, to: number) {
  const starts: number[] = [];
  for (let ms = at(from); ms < at(to) - 30_000; ms += 10 * 60_000) starts.push(ms);
  starts.push(at(to) - 30_000);
  return starts.map((startedAt) => ({
    kind: 'display' as const,
    receiptId: randomUUID(),
    noticeId,
    contentHash,
    startedAt,
    endedAt: startedAt + 30_000,
    clockTrusted: true,
  }));
}

async function report(): Promise<ComplianceReport> {
  return data((await s.editor.get<ComplianceReport>(`/api/reports/compliance?from=${DAY}&to=${addCalendarDays(DAY, 2)}`)).body);
}

const rowOf = (r: ComplianceReport, noticeId: string): ComplianceRow => {
  const row = r.rows.find((x) => x.noticeId === noticeId);
  if (!row) throw new Error(`no row for ${noticeId}`);
  return row;
};
const gapsOf = (row: ComplianceRow, deviceId: string) =>
  row.devices.find((d) => d.deviceId === deviceId)?.gaps.map(({ from, to, cause, versionNumber }) => ({ from, to, cause, versionNumber }));

describe('posting-period compliance', () => {
  let withdrawn: Notice;
  let corrected: Notice;
  let newHash = '';

  it('follows a kiosk offline mid-window, a correction shown late and a withdrawal', async () => {
    withdrawn = await publish('v2', '张堂村低保初审名单公示');
    corrected = await publish('v3', '宋营村道路修缮资金公示');
    const hash = withdrawn.live!.contentHash;
    const oldHash = corrected.live!.contentHash;

    // 张堂村's kiosk: shows the notice 10:00–11:00, offline 11:00–13:00, shows it again 13:00–15:00.
    let v2 = await connect('demo-kiosk-v2');
    clock.ms = at(1);
    // Reported as the last showing ends: a receipt that ends after it arrived would not be believed (receiptTime.ts).
    data(await v2.emitWithAck('display:report', { receipts: showings(withdrawn.id, hash, 0, 1) }));
    await disconnect(v2, 'demo-kiosk-v2');
    clock.ms = at(3);
    v2 = await connect('demo-kiosk-v2');

    // 宋营村's kiosk shows the first version 10:00–12:00; the correction is approved at 12:00 and reaches it at 13:00.
    const v3 = await connect('demo-kiosk-v3');
    data(await v3.emitWithAck('display:report', { receipts: showings(corrected.id, oldHash, 0, 3) }));
    clock.ms = at(2);
    const edit = await s.editor.request<Notice>('PUT', `/api/notices/${corrected.id}/draft`, {
      content: {
        title: '宋营村道路修缮资金公示',
        body: '宋营村道路修缮资金公示。金额更正为十二万元。',
        target: { scope: 'villages', villageIds: ['v3'] },
        posting: { rule: { kind: 'calendar_days', days: 3 } },
      },
      correctionReason: '金额录入错误',
    });
    expect(edit.body.ok).toBe(true);
    data((await s.editor.post(`/api/notices/${corrected.id}/submit`)).body);
    corrected = data((await s.reviewer.post<Notice>(`/api/notices/${corrected.id}/approve`, { attestation: ATTESTATION })).body);
    newHash = corrected.live!.contentHash;
    expect(newHash).not.toBe(oldHash);

    clock.ms = at(5);
    data(await v2.emitWithAck('display:report', { receipts: showings(withdrawn.id, hash, 3, 5) }));
    data(await v3.emitWithAck('display:report', { receipts: showings(corrected.id, newHash, 3, 5) }));
    data((await s.reviewer.post(`/api/notices/${withdrawn.id}/withdraw`, { reason: '名单有误，撤回重新审核' })).body);
    await disconnect(v2, 'demo-kiosk-v2');
    clock.ms = at(6);
    data(await v3.emitWithAck('display:report', { receipts: showings(corrected.id, newHash, 5, 6) }));

    const r = await report();
    const row = rowOf(r, withdrawn.id);
    const plannedTo = startOfCivilDay(addCalendarDays(DAY, 3));
    expect(row).toMatchObject({ from: at(0), to: at(5), plannedFrom: startOfCivilDay(DAY), plannedTo, running: false, compliant: false });
    expect(row.segments).toEqual([expect.objectContaining({ number: 1, from: at(0), to: at(5), end: 'withdrawn' })]);
    expect(row.cuts).toEqual([{ from: at(5), to: plannedTo, ms: plannedTo - at(5), cause: 'withdrawn' }]);
    expect(gapsOf(row, 'demo-kiosk-v2')).toEqual([{ from: at(1), to: at(3), cause: 'offline', versionNumber: 1 }]);
    expect(row.devices.find((d) => d.deviceId === 'demo-kiosk-v2')).toMatchObject({
      requiredMs: 5 * H,
      shownMs: 3 * H,
      offHoursMs: 0,
      firstShownAt: at(0),
      lastShownAt: at(5),
    });
    // The sign's port does not exist: its link has been down since the controller started, an outage still in
    // progress (recorded as it began, no end yet), so the whole window is the link being down, not a lack of proof.
    expect(gapsOf(row, 'test-sign')).toEqual([{ from: at(0), to: at(5), cause: 'link_down', versionNumber: 1 }]);
    expect(row.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['withdrawn', 'offline', 'link_down']));

    const chain = rowOf(r, corrected.id);
    expect(chain).toMatchObject({ from: at(0), to: at(6), running: true, compliant: false });
    expect(chain.segments.map(({ number, from, to, end }) => ({ number, from, to, end }))).toEqual([
      { number: 1, from: at(0), to: at(2), end: 'corrected' },
      { number: 2, from: at(2), to: at(6), end: 'now' },
    ]);
    expect(gapsOf(chain, 'demo-kiosk-v3')).toEqual([{ from: at(2), to: at(3), cause: 'old_version', versionNumber: 2 }]);
    expect(chain.reasons.find((x) => x.code === 'old_version')).toEqual({ code: 'old_version', devices: 1, ms: H });
    v3.close();
  });

  it('names the sign link outage once its records are in the ledger, after a restart', async () => {
    const hash = withdrawn.live?.contentHash ?? withdrawn.versions[0]!.contentHash;
    await t.stop();
    const ledger = createLedger({ dataDir: t.dataDir, logger: createLogger({ level: 'silent' }), now: () => clock.ms });
    await ledger.start();
    // The sign's outage, in progress since the start (its port does not exist), was recorded as it began and ended by the stop.
    const signOutages: { type: string; start?: number; end?: number; at?: number; cause: string }[] = [];
    for await (const r of ledger.records())
      if (r.signId === 'test-sign' && String(r.type).startsWith('sign.link-')) signOutages.push(r as never);
    expect(signOutages.map(({ type, cause }) => `${type} ${cause}`)).toEqual(['sign.link-down link', 'sign.link-outage stopped']);
    expect(signOutages[1]).toMatchObject({ start: signOutages[0]?.at, end: at(6) });
    const sign = { signId: 'test-sign', villageId: 'v2', contentHash: hash, proof: 'acknowledged' };
    await ledger.append([
      { type: 'sign.display', ...sign, start: at(0), end: at(2), endReason: 'link-down' },
      {
        type: 'sign.link-outage',
        signId: 'test-sign',
        villageId: 'v2',
        portPath: '/dev/gongshi-no-such-port',
        start: at(2),
        end: at(4),
        cause: 'link',
      },
      { type: 'sign.display', ...sign, start: at(4), end: at(5), endReason: 'replaced' },
    ]);
    await ledger.stop();
    t = await startController({ dataDir: t.dataDir, clock: { now: () => clock.ms } });
    s = await staff(t);

    const row = rowOf(await report(), withdrawn.id);
    expect(gapsOf(row, 'test-sign')).toEqual([{ from: at(2), to: at(4), cause: 'link_down', versionNumber: 1 }]);
    expect(gapsOf(row, 'demo-kiosk-v2')).toEqual([{ from: at(1), to: at(3), cause: 'offline', versionNumber: 1 }]);
    expect(row.reasons.find((x) => x.code === 'link_down')).toEqual({ code: 'link_down', devices: 1, ms: 2 * H });

    const csv = await fetch(`${t.url}/api/reports/compliance.csv?from=${DAY}&to=${addCalendarDays(DAY, 2)}&village=v2`, {
      headers: { cookie: s.editor.cookie },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^公告编号,标题,公示开始,公示结束,检查至,结论,原因,设备/);
    const mine = lines.filter((l) => l.startsWith(withdrawn.id));
    expect(
      mine.some((l) => l.includes('测试村口屏,LED 屏,张堂村') && l.includes('2026-11-02 12:00,2026-11-02 14:00,120,屏幕线路中断')),
    ).toBe(true);
    expect(mine.some((l) => l.includes('2026-11-02 11:00,2026-11-02 13:00,120,设备离线'))).toBe(true);
    expect(mine.some((l) => l.includes('全部设备') && l.includes('已撤回，公示期未满'))).toBe(true);
    expect(mine.every((l) => l.includes(',不合规,'))).toBe(true);
    // The village filter leaves 宋营村's notice out.
    expect(text).not.toContain(corrected.id);
  });

  it('refuses a bad range naming the field', async () => {
    const res = await s.editor.get(`/api/reports/compliance?from=${DAY}&to=2026-13-01`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, fields: { to: expect.any(String) } });
    const backwards = await s.editor.get(`/api/reports/compliance?from=${DAY}&to=2026-01-01`);
    expect(backwards.body).toMatchObject({ ok: false, fields: { to: 'must not be before from' } });
    expect((await s.editor.get(`/api/reports/compliance?from=${DAY}&to=${DAY}&colour=red`)).status).toBe(400);
  });
});
