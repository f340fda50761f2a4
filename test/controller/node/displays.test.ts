/**
 * The node's coalescing of its signs' cards (controller/node/displays.ts): one
 * record per sign, content and period of an unbroken rotation, closed at every
 * break in what the node witnessed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { type AliveNote, writeAliveNote } from '../../../controller/node/alive.js';
import { type IntervalRecord, intervalRecord } from '../../../controller/node/displays.js';
import { createNode } from '../../../controller/node/node.js';
import { createNodeOutbox } from '../../../controller/node/outbox.js';
import { type NodeRecord, SHOWING_INTERVAL_MS, nodeRecord, periodOf } from '../../../controller/protocol/index.js';
import { type DisplayEntry, type OpenSignInterval, createDisplayCoalescer } from '../../../controller/services/signDisplays.js';
import { nodeOutbox } from '../../helpers/node.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const notices: Record<string, string> = { [A]: 'notice-a', [B]: 'notice-b' };
/** A town day's 08:00 (UTC+8), far from a period's edges. */
const MORNING = Date.UTC(2026, 11, 7, 0, 0);

const card = (contentHash: string, start: number, seconds = 10, more: Partial<DisplayEntry> = {}): DisplayEntry => ({
  type: 'sign.display',
  signId: 'sign-1',
  contentHash,
  start,
  end: start + seconds * 1000,
  proof: 'acknowledged',
  endReason: 'replaced',
  ...more,
});

/** A rotation of A and B, 10 s a card, `rounds` times from `from`. */
function rotation(from: number, rounds: number): DisplayEntry[] {
  const cards: DisplayEntry[] = [];
  for (let i = 0; i < rounds; i++) cards.push(card(A, from + i * 20_000), card(B, from + i * 20_000 + 10_000));
  return cards;
}

const coalescer = () => createDisplayCoalescer({ noticeOf: (hash) => notices[hash] });

describe('a node’s display coalescer', () => {
  it('folds a rotation into one record per content, with the cards counted and their time on screen', () => {
    const displays = coalescer();
    const cards = rotation(MORNING, 90);
    for (const c of cards) expect(displays.fold(c, true)).toEqual([]);
    const records = displays.closeAll().map(intervalRecord);
    expect(records).toHaveLength(2);
    const a = records.find((r) => r.contentHash === A)!;
    expect(a).toMatchObject({ signId: 'sign-1', start: MORNING, end: MORNING + 89 * 20_000 + 10_000, showings: 90, shownMs: 900_000 });
    expect(a.clockTrusted).toBe(true);
    // What the node sends is what the controller takes.
    for (const r of records) expect(nodeRecord.safeParse({ ...r, seq: 1 }).success).toBe(true);
  });

  it('closes an interval at a card that ended otherwise than by the next one, and starts afresh after it', () => {
    const displays = coalescer();
    for (const c of rotation(MORNING, 3)) displays.fold(c, true);
    const lost = displays.fold(card(A, MORNING + 60_000, 4, { endReason: 'link-lost' }), true);
    expect(lost).toHaveLength(1);
    expect(intervalRecord(lost[0]!)).toMatchObject({ contentHash: A, showings: 4, endReason: 'link-lost', end: MORNING + 64_000 });
    // After the outage the next card of A opens a new interval: the outage is never inside one.
    expect(displays.fold(card(A, MORNING + 120_000), true)).toEqual([]);
    const rest = displays.closeAll().map(intervalRecord);
    expect(rest.find((r) => r.contentHash === A)?.start).toBe(MORNING + 120_000);
  });

  it('keeps acknowledged and only-sent cards, trusted and untrusted clocks, and periods apart', () => {
    const displays = coalescer();
    displays.fold(card(A, MORNING), true);
    expect(displays.fold(card(A, MORNING + 20_000, 10, { proof: 'sent' }), true)).toHaveLength(1);
    expect(displays.fold(card(A, MORNING + 40_000, 10, { proof: 'sent' }), false)).toHaveLength(1);
    // The last card of a period and the first of the next: two intervals.
    const edge = periodOf({ startedAt: MORNING }) + SHOWING_INTERVAL_MS;
    displays.fold(card(B, edge - 15_000), true);
    expect(displays.fold(card(B, edge + 5_000), true).map(intervalRecord)).toMatchObject([{ contentHash: B, start: edge - 15_000 }]);
    expect(displays.closeDue(edge + 30_000).map((i) => i.contentHash)).toEqual([A]);
    expect(displays.open().map((i) => i.contentHash)).toEqual([B]);
  });

  it('records a card on its own when its notice is unknown, and never lets an interval outgrow what the controller takes', () => {
    const displays = coalescer();
    const unknown = 'c'.repeat(64);
    expect(displays.fold(card(unknown, MORNING), true).map(intervalRecord)).toEqual([
      expect.objectContaining({ contentHash: unknown, start: MORNING, end: MORNING + 10_000 }),
    ]);
    // A rotation shrinks to one notice: its last card stays on the sign for a day, longer than an interval may span.
    displays.fold(card(A, MORNING), true);
    expect(displays.fold(card(A, MORNING + 20_000, 86_400), true)).toHaveLength(1);
    const [long] = displays.closeAll().map(intervalRecord);
    expect(long).toMatchObject({ start: MORNING + 20_000, end: MORNING + 20_000 + 86_400_000 });
    expect(long?.showings).toBeUndefined();
    expect(nodeRecord.safeParse({ ...long, seq: 1 }).success).toBe(true);
  });

  it('refuses, at the controller, counts a node could not have seen', () => {
    const base = { ...card(A, MORNING, 60), recordId: crypto.randomUUID(), seq: 1, clockTrusted: true };
    expect(nodeRecord.safeParse({ ...base, showings: 3 }).error?.issues[0]?.path).toEqual(['shownMs']);
    expect(nodeRecord.safeParse({ ...base, showings: 3, shownMs: 61_000 }).error?.issues[0]?.path).toEqual(['shownMs']);
    expect(nodeRecord.safeParse({ ...base, showings: 1, shownMs: 60_000 }).error?.issues[0]?.path).toEqual(['showings']);
    expect(nodeRecord.safeParse({ ...base, end: MORNING + 9 * 3_600_000, showings: 3, shownMs: 30_000 }).error?.issues[0]?.path).toEqual([
      'end',
    ]);
    expect(nodeRecord.safeParse({ ...base, showings: 3, shownMs: 30_000 }).success).toBe(true);
  });
});

/**
 * What a start finds after a kill -9 at each moment of an interval's way to the outbox: the last alive note names the
 * interval (open, or closed and on its way) and the card on the sign, and the outbox holds the interval or not. The
 * real node starts over that data directory (no controller in reach) and must record every interval exactly once,
 * with the card at the kill counted once.
 */
describe('a node started after a kill', () => {
  const interval = (recordId: string, showings: number): OpenSignInterval => ({
    source: 'sign-1',
    period: periodOf({ startedAt: MORNING }),
    noticeId: 'notice-a',
    contentHash: A,
    startedAt: MORNING,
    endedAt: MORNING + (showings - 1) * 20_000 + 10_000,
    showings,
    shownMs: showings * 10_000,
    clockTrusted: true,
    recordId,
    proof: 'acknowledged',
    endReason: 'replaced',
  });

  async function restartOver(note: Partial<AliveNote>, inOutbox: IntervalRecord[]): Promise<NodeRecord[]> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-node-recovery-'));
    try {
      const logger = createLogger({ level: 'error' });
      const outbox = createNodeOutbox({ dataDir, clockTrusted: () => true, logger });
      await outbox.start();
      await outbox.append(inOutbox);
      await outbox.stop();
      const at = MORNING + 10 * 60_000;
      await writeAliveNote(dataDir, {
        at,
        rawAt: Date.now(),
        clockTrusted: true,
        open: [],
        intervals: [],
        closing: [],
        outboxSeq: 0,
        ...note,
      });
      const node = await createNode(
        { controller: 'http://127.0.0.1:9', dataDir, build: 'test' },
        {
          logger,
          credentials: { deviceId: 'node-1', token: 'x'.repeat(43), controller: 'http://127.0.0.1:9' },
          tuning: { reconnectMaxMs: 60_000 },
        },
      );
      await node.stop();
      return (await nodeOutbox(dataDir)).records;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  const displaysOf = (records: NodeRecord[]) => records.filter((r) => r.type === 'sign.display');

  it('closes a noted interval with the card on the sign at the kill as its last, once', async () => {
    const open = interval(crypto.randomUUID(), 3);
    const onSign = { ...card(A, MORNING + 60_000), end: MORNING + 60_000 };
    const records = displaysOf(await restartOver({ intervals: [open], open: [onSign] }, []));
    expect(records).toEqual([
      expect.objectContaining({ recordId: open.recordId, showings: 4, endReason: 'unclean-stop', end: MORNING + 10 * 60_000 }),
    ]);
  });

  it('does not record again an interval appended after the last note named it', async () => {
    const closed = interval(crypto.randomUUID(), 3);
    const recorded = intervalRecord(closed);
    // Killed after the append: the note names the interval as on its way, and the next card of B on the sign.
    const onSign = { ...card(B, MORNING + 70_000), end: MORNING + 70_000 };
    const records = displaysOf(await restartOver({ closing: [recorded], open: [onSign] }, [recorded]));
    expect(records.filter((r) => r.recordId === closed.recordId)).toHaveLength(1);
    expect(records.filter((r) => r.contentHash === B)).toEqual([
      expect.objectContaining({ endReason: 'unclean-stop', start: MORNING + 70_000 }),
    ]);
  });

  it('records an interval the kill caught between its note and its append', async () => {
    const closed = intervalRecord(interval(crypto.randomUUID(), 5));
    const records = displaysOf(await restartOver({ closing: [closed] }, []));
    expect(records).toEqual([expect.objectContaining({ recordId: closed.recordId, showings: 5 })]);
  });
});
