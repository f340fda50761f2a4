/**
 * Ledger bytes per kiosk per day, before and after coalescing showings (issue 12 point 12).
 *
 * One real controller on port 0 (demo town, a clock the bench moves), two demo kiosks on real socket.io clients,
 * the same day on both: 12 on-hours (08:00–20:00) rotating 8 notices at 30 s a card, 1,440 showings, 6 villager
 * interactions. The baseline kiosk sends one display receipt per card, as kiosks did before; the measured one sends
 * what the kiosk's outbox sends (kiosk/outbox.ts): each version's showings of a period (four hours) coalesced by the same
 * protocol function (`addShowing`, protocol/showings.ts), sent as the period closes. (The outbox itself imports the
 * web build's `@protocol` alias, which `tsx` does not resolve; its behaviour is tested in test/kiosk/outbox.test.ts.)
 * The figure is the bytes of the ledger lines naming each kiosk (its receipts, interactions and connection records),
 * read from the ledger files; the notes project a 100-kiosk town's year from it.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type DisplayReceipt,
  type KioskReceipt,
  type Notice,
  type OpenInterval,
  type Playlist,
  type Showing,
  addShowing,
  closeIntervals,
  closedInterval,
  intervalDue,
} from '../../controller/protocol/index.js';
import { connectKiosk, data, nextEvent, publishNotice, staff, startController } from '../helpers/controller.js';
import type { BenchOptions, BenchResult } from './bench.js';

export const name = 'showings';

const H = 3_600_000;
const CARD_MS = 30_000;
const NOTICES = 8;
const ON_FROM = 8;
const ON_TO = 20;
const KIOSKS_IN_TOWN = 100;
const GIB = 1024 ** 3;
/** Monday 2026-11-02, 00:00 in the town (UTC+8). */
const DAY0 = Date.parse('2026-11-01T16:00:00Z');

async function bytesNaming(dataDir: string, deviceId: string): Promise<{ bytes: number; records: number }> {
  const dir = path.join(dataDir, 'ledger');
  let bytes = 0;
  let records = 0;
  const needle = `"deviceId":${JSON.stringify(deviceId)}`;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
      if (!line.includes(needle)) continue;
      bytes += Buffer.byteLength(line) + 1;
      records++;
    }
  }
  return { bytes, records };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const clock = { ms: DAY0 + 7 * H };
  const t = await startController({ clock: { now: () => clock.ms } });
  try {
    const s = await staff(t);
    const notices: Notice[] = [];
    for (let i = 0; i < NOTICES; i++) notices.push(await publishNotice(s, ['v1', 'v2'], `基准公示第${i + 1}号`));
    const [before, after] = ['demo-kiosk-v1', 'demo-kiosk-v2'];
    const connect = async (deviceId: string) => {
      const kiosk = connectKiosk(t.url, { deviceId });
      await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
      return kiosk;
    };
    const oldKiosk = await connect(before);
    const newKiosk = await connect(after);
    let open: ReadonlyMap<string, OpenInterval> = new Map();
    let seq = 0;
    /** The kiosk outbox's receipt for a closed interval: a new id, the next number. */
    const intervalReceipts = (closed: OpenInterval[]): KioskReceipt[] =>
      closed.map((c) => ({ kind: 'showings', receiptId: randomUUID(), seq: ++seq, ...closedInterval(c) }));
    const sendNew = async (receipts: KioskReceipt[]): Promise<void> => {
      if (receipts.length > 0) data(await newKiosk.emitWithAck('display:report', { receipts }));
    };
    const send = async (receipts: KioskReceipt[]): Promise<void> => {
      for (let i = 0; i < receipts.length; i += 500)
        data(await oldKiosk.emitWithAck('display:report', { receipts: receipts.slice(i, i + 500) }));
    };

    let showings = 0;
    for (let hour = ON_FROM; hour < ON_TO; hour++) {
      const start = DAY0 + hour * H;
      const cards: Showing[] = [];
      for (let t0 = start, i = 0; t0 + CARD_MS <= start + H; t0 += CARD_MS, i++) {
        const notice = notices[i % NOTICES]!;
        cards.push({
          noticeId: notice.id,
          contentHash: notice.live!.contentHash,
          startedAt: t0,
          endedAt: t0 + CARD_MS,
          clockTrusted: true,
        });
      }
      clock.ms = start + H;
      showings += cards.length;
      await send(cards.map((c): DisplayReceipt => ({ kind: 'display', receiptId: randomUUID(), ...c })));
      for (const c of cards) {
        const step = addShowing(open, after, c);
        open = step.open;
        await sendNew(intervalReceipts(step.closed));
      }
      // A villager opens a notice every other hour: interactions stay one record each, on both kiosks.
      if (hour % 2 === 0) {
        const n = notices[hour % NOTICES]!;
        const opened = {
          kind: 'interaction' as const,
          action: 'opened' as const,
          noticeId: n.id,
          contentHash: n.live!.contentHash,
          at: start + 60_000,
          clockTrusted: true,
        };
        await send([{ ...opened, receiptId: randomUUID() }]);
        await sendNew([{ ...opened, receiptId: randomUUID(), seq: ++seq }]);
      }
      clock.ms = start + H + 1_000;
      const due = closeIntervals(open, (o) => intervalDue(o, clock.ms));
      open = due.open;
      await sendNew(intervalReceipts(due.closed));
    }
    options.log(`  ${showings} showings per kiosk sent both ways`);
    oldKiosk.close();
    newKiosk.close();

    const perShowing = await bytesNaming(t.dataDir, before);
    const coalesced = await bytesNaming(t.dataDir, after);
    const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;
    const year = (bytes: number): string => `${((bytes * KIOSKS_IN_TOWN * 365) / GIB).toFixed(3)} GiB`;
    return [
      {
        benchmark: `ledger bytes per kiosk per day (${ON_TO - ON_FROM} h, ${NOTICES} notices, ${CARD_MS / 1000} s cards): intervals per 4-hour period`,
        n: showings,
        rounds: 1,
        payloadBytes: coalesced.bytes,
        unit: 'KB',
        measured: { p50: kb(coalesced.bytes), p99: kb(coalesced.bytes) },
        baseline: { name: 'one receipt per showing', p50: kb(perShowing.bytes), p99: kb(perShowing.bytes) },
        notes: [
          `records naming the kiosk per day: ${perShowing.records} per showing, ${coalesced.records} coalesced`,
          `bytes per kiosk per day: ${perShowing.bytes} per showing, ${coalesced.bytes} coalesced (${(perShowing.bytes / coalesced.bytes).toFixed(1)}× smaller)`,
          `${KIOSKS_IN_TOWN} kiosks for a year: ${year(perShowing.bytes)} per showing, ${year(coalesced.bytes)} coalesced`,
        ],
      },
    ];
  } finally {
    await t.dispose();
  }
}
