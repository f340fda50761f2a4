/**
 * The same simulated week, recorded twice (issue 12 point 12): once as one display receipt per card, as kiosks sent
 * before, and once as the kiosk's outbox now sends it, the showings of each version coalesced per controller hour
 * (kiosk/outbox.ts, protocol/showings.ts). Two real controllers start from copies of one data directory (the same
 * town, notices, devices and ids) on one clock the test moves; real socket.io kiosk clients feed them. Every report
 * (compliance, timeliness, statistics, satisfaction, checks, annual) must say the same of both, while the coalesced
 * ledger holds a small fraction of the display records.
 *
 * The week has what the reports judge: a kiosk whose clock is a day ahead (corrected by its offset), a kiosk offline
 * for two hours that keeps showing and reports later, an hour written by a clock the kiosk did not trust with no
 * offset known (left out, with the reason), and a notice withdrawn mid-hour.
 */
import { randomUUID } from 'node:crypto';
import { cp, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DisplayReceipt,
  type KioskReceipt,
  type Notice,
  type Playlist,
  type Showing,
  addCalendarDays,
  civilDateOf,
} from '../../../controller/protocol/index.js';
import { createOutbox, type Outbox } from '../../../kiosk/outbox.js';
import { createMemoryReceiptStore } from '../../../kiosk/receiptStore.js';
import {
  ApiClient,
  type KioskClient,
  type TestController,
  connectKiosk,
  data,
  demoPassword,
  initialPassword,
  makeDataDir,
  nextEvent,
  pairDevice,
  publishNotice,
  staff,
  startController,
} from '../../helpers/controller.js';

const H = 3_600_000;
const DAY_MS = 24 * H;
/** Monday 2026-11-02, 00:00 in the town (UTC+8). */
const MONDAY = Date.parse('2026-11-01T16:00:00Z');
const at = (day: number, hour: number, minute = 0): number => MONDAY + day * DAY_MS + hour * H + minute * 60_000;
const CARD_MS = 45_000;
/** On screen from 08:00 to 18:00 each day. */
const ON_FROM = 8;
const ON_TO = 18;
const clock = { ms: at(0, 7) };

interface KioskSim {
  deviceId: string;
  token: string;
  /** Device clock minus controller clock. */
  offsetMs: number;
  /** The notices it rotates, in order. */
  notices: Notice[];
}

let base: TestController;
let perShowing: TestController;
let coalesced: TestController;
let kiosks: KioskSim[] = [];
let withdrawn: Notice;

async function login(t: TestController, who: 'admin' | 'reviewer'): Promise<ApiClient> {
  const client = new ApiClient(t.url);
  await client.login(who, who === 'admin' ? await initialPassword(t.dataDir) : await demoPassword(t.dataDir, who));
  return client;
}

async function poll(check: () => Promise<boolean>, failure: string): Promise<void> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(failure);
}

const online = async (admin: ApiClient, deviceId: string): Promise<boolean> =>
  data((await admin.get<{ id: string; online: boolean }[]>('/api/devices')).body).find((d) => d.id === deviceId)?.online ?? false;

async function connected(t: TestController, sim: KioskSim): Promise<KioskClient> {
  const kiosk = connectKiosk(t.url, { deviceId: sim.deviceId, token: sim.token });
  await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
  return kiosk;
}

/** Display records in a controller's ledger files, by type. */
async function displayRecords(t: TestController): Promise<Record<string, number>> {
  const dir = path.join(t.dataDir, 'ledger');
  const counts: Record<string, number> = {};
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      const type = /"type":"(display\.[a-z-]+)"/.exec(line)?.[1];
      if (type) counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}

beforeAll(async () => {
  base = await startController({ clock: { now: () => clock.ms } });
  const s = await staff(base);
  const both = await publishNotice(s, ['v1', 'v2'], '两村联合防汛物资公示');
  const v2only = await publishNotice(s, ['v2'], '张堂村低保初审名单公示');
  withdrawn = await publishNotice(s, ['v1'], '一村道路修缮资金公示');
  kiosks = [
    { ...(await pairDevice(s.admin, { villageId: 'v1', name: '一村广场屏' })), offsetMs: DAY_MS, notices: [both, withdrawn] },
    { ...(await pairDevice(s.admin, { villageId: 'v2', name: '张堂村村委会屏' })), offsetMs: 0, notices: [both, v2only] },
  ];
  await base.stop();
  const copy = async (): Promise<string> => {
    const dir = await makeDataDir();
    await cp(base.dataDir, dir, { recursive: true });
    return dir;
  };
  // Out of demo mode: the demo town's emulated signs and node record on real timers, which two controllers would not share.
  const args = ['--demo', 'off'];
  perShowing = await startController({ dataDir: await copy(), clock: { now: () => clock.ms }, args });
  coalesced = await startController({ dataDir: await copy(), clock: { now: () => clock.ms }, args });
}, 120_000);

afterAll(async () => {
  await perShowing?.dispose();
  await coalesced?.dispose();
  await base?.dispose();
}, 60_000);

/** A kiosk fed both ways: its sockets to each controller and, for the coalesced one, the kiosk's own outbox. */
interface Feed {
  sim: KioskSim;
  old: KioskClient;
  fresh: KioskClient;
  outbox: Outbox;
  /** Per-showing receipts made while offline, sent once back. */
  queued: DisplayReceipt[];
  linkUp: boolean;
}

async function report(socket: KioskClient, receipts: KioskReceipt[]): Promise<void> {
  for (let i = 0; i < receipts.length; i += 500) {
    const ack = await socket.emitWithAck('display:report', { receipts: receipts.slice(i, i + 500) });
    expect(data(ack).rejected).toEqual([]);
  }
}

describe('the reports over per-showing receipts and hourly intervals', () => {
  it('say the same of the same week, from a fraction of the records', async () => {
    clock.ms = at(0, 7, 30);
    const feeds: Feed[] = [];
    for (const sim of kiosks) {
      const feed: Feed = {
        sim,
        old: await connected(perShowing, sim),
        fresh: await connected(coalesced, sim),
        outbox: undefined as unknown as Outbox,
        queued: [],
        linkUp: true,
      };
      feed.outbox = createOutbox({
        store: createMemoryReceiptStore(),
        send: (receipts) => feed.fresh.emitWithAck('display:report', { receipts }),
        now: () => clock.ms + sim.offsetMs,
        schedule: () => () => undefined, // the test closes the hours itself (closeDue)
      });
      feed.outbox.setConnected(true);
      feeds.push(feed);
    }
    const [v1, v2] = feeds as [Feed, Feed];
    let withdrawnAt = Number.POSITIVE_INFINITY;

    /** The showings of one kiosk from `from` to `to` (controller time), as its rotation makes them. */
    const rotate = (feed: Feed, from: number, to: number, clockTrusted: (t: number) => boolean): Showing[] => {
      const out: Showing[] = [];
      let i = Math.floor((from - MONDAY) / CARD_MS);
      for (let t = from; t + CARD_MS <= to; t += CARD_MS, i++) {
        const list = feed.sim.notices.filter((n) => n.id !== withdrawn.id || t + CARD_MS <= withdrawnAt);
        const notice = list[i % list.length]!;
        const trusted = clockTrusted(t);
        out.push({
          noticeId: notice.id,
          contentHash: notice.live!.contentHash,
          startedAt: t + feed.sim.offsetMs,
          endedAt: t + CARD_MS + feed.sim.offsetMs,
          // A clock a day off is not trusted, and says by how much it is off; an unsure clock knows no offset.
          clockTrusted: trusted && feed.sim.offsetMs === 0,
          ...(feed.sim.offsetMs !== 0 ? { clockOffsetMs: feed.sim.offsetMs } : {}),
        });
      }
      return out;
    };

    const play = async (feed: Feed, showings: Showing[]): Promise<void> => {
      const receipts: DisplayReceipt[] = showings.map((s) => ({ kind: 'display', receiptId: randomUUID(), ...s }));
      if (feed.linkUp) await report(feed.old, receipts);
      else feed.queued.push(...receipts);
      for (const s of showings) expect(await feed.outbox.show(s)).not.toBeNull();
    };
    const closeHour = async (feed: Feed): Promise<void> => {
      await feed.outbox.closeDue();
      await feed.outbox.flush();
    };

    for (let day = 0; day < 7; day++) {
      for (let hour = ON_FROM; hour < ON_TO; hour++) {
        const start = at(day, hour);
        // Wednesday 10:00–12:00: 张堂村's kiosk is off the network, keeps showing and reports when back.
        if (day === 2 && hour === 10) {
          clock.ms = start;
          const admins = [await login(perShowing, 'admin'), await login(coalesced, 'admin')];
          v2.old.close();
          v2.fresh.close();
          v2.outbox.setConnected(false);
          v2.linkUp = false;
          for (const admin of admins) await poll(async () => !(await online(admin, v2.sim.deviceId)), 'the kiosk never went offline');
        }
        if (day === 2 && hour === 12) {
          clock.ms = start;
          v2.old = await connected(perShowing, v2.sim);
          v2.fresh = await connected(coalesced, v2.sim);
          v2.linkUp = true;
          await report(v2.old, v2.queued.splice(0));
          v2.outbox.setConnected(true);
          await v2.outbox.flush();
        }
        // Wednesday 15:30: the notice 一村 shows is withdrawn; the kiosk's next playlist closes its interval.
        if (day === 2 && hour === 15) {
          const half = at(day, hour, 30);
          clock.ms = half;
          await play(
            v1,
            rotate(v1, start, half, () => true),
          );
          await play(
            v2,
            rotate(v2, start, half, () => true),
          );
          for (const t of [perShowing, coalesced]) {
            const reviewer = await login(t, 'reviewer');
            data((await reviewer.post(`/api/notices/${withdrawn.id}/withdraw`, { reason: '资金数额有误，撤回核对' })).body);
          }
          withdrawnAt = half;
          await v1.outbox.closeShowings((open) => open.noticeId === withdrawn.id);
          clock.ms = start + H;
          await play(
            v1,
            rotate(v1, half, start + H, () => true),
          );
          await play(
            v2,
            rotate(v2, half, start + H, () => true),
          );
        } else {
          clock.ms = start + H;
          // Tuesday 14:00–15:00: 张堂村's kiosk doubts its clock and has no offset measured.
          const doubt = (t: number): boolean => !(day === 1 && t >= at(1, 14) && t < at(1, 15));
          for (const feed of feeds) await play(feed, rotate(feed, start, start + H, doubt));
        }
        clock.ms = start + H + 1_000;
        for (const feed of feeds) if (feed.linkUp) await closeHour(feed);
      }
    }
    clock.ms = at(7, 1);
    for (const feed of feeds) {
      await feed.outbox.closeShowings();
      await feed.outbox.flush();
      expect(feed.outbox.pendingCount()).toBe(0);
      feed.old.close();
      feed.fresh.close();
    }

    const monday = civilDateOf(MONDAY);
    const sunday = addCalendarDays(monday, 6);
    const range = `from=${monday}&to=${sunday}`;
    const reports = [
      `/api/reports/compliance?${range}`,
      `/api/reports/timeliness?${range}`,
      `/api/reports/stats?${range}`,
      `/api/reports/satisfaction?${range}`,
      '/api/reports/checks?period=month&key=2026-11',
      '/api/reports/checks?period=year&key=2026',
      `/api/reports/compliance?${range}&village=v2`,
      '/api/reports/annual/2026/V2019',
    ];
    const [a, b] = [await login(perShowing, 'admin'), await login(coalesced, 'admin')];
    for (const url of reports) {
      const [fromShowings, fromIntervals] = [(await a.get(url)).body, (await b.get(url)).body];
      expect(fromShowings, url).toMatchObject({ ok: true });
      expect(fromIntervals, url).toEqual(fromShowings);
    }

    // What the reports must have seen: the week's showings, the corrected clock, the outage and the doubted hour.
    const compliance = data(
      (await b.get<{ rows: { noticeId: string; devices: { deviceId: string; untrusted: unknown[] }[] }[] }>(reports[0]!)).body,
    );
    const row = compliance.rows.find((r) => r.noticeId === kiosks[1]!.notices[1]!.id);
    expect(row?.devices.find((d) => d.deviceId === kiosks[1]!.deviceId)?.untrusted).toEqual([
      { reason: 'clock_unknown', receipts: 40, claimedMs: 40 * CARD_MS },
    ]);

    const [before, after] = [await displayRecords(perShowing), await displayRecords(coalesced)];
    const showings = 2 * 7 * (ON_TO - ON_FROM) * (H / CARD_MS);
    expect(before).toEqual({ 'display.kiosk': showings });
    expect(Object.keys(after)).toEqual(['display.kiosk-interval']);
    process.stdout.write(
      `display records for ${showings} showings: ${before['display.kiosk']} per showing, ${after['display.kiosk-interval']} coalesced\n`,
    );
    expect(after['display.kiosk-interval']).toBeLessThan(showings / 20);
  }, 600_000);
});
