/**
 * The controller's own signs' cards, coalesced before the ledger: a sign at the
 * town hall rotating its playlist at 10 s a card would otherwise write some
 * 5,000 records a day, as many as fifty kiosks (issue 12 point 12). This is the
 * signs service's record sink (`records`): it folds each closed card into its
 * sign, content and period's interval (signDisplays.ts, as a village node
 * does), hands every other record through in order, and puts each interval in
 * the ledger when it closes, through the ledger's own sink (store/recordSink.ts:
 * retried, never dropped).
 *
 * The intervals still open are kept in `<data>/sign-intervals.json`, rewritten
 * every {@link NOTE_EVERY_MS} with the ledger's position then. A kill -9 or a
 * power cut loses at most the cards of the last note's interval (and the card
 * on screen, as it always did); the next start records each noted interval
 * that the ledger does not hold after that position (its record id is the
 * key), closed where its last noted card ended: the rotation stopped with the
 * controller.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { writeFileDurably } from '../store/durableFile.js';
import type { Ledger, LedgerEntry, LedgerPosition } from '../store/ledger.js';
import { type RecordSink, createRecordSink } from '../store/recordSink.js';
import { type OpenSignInterval, createDisplayCoalescer, displayCard, intervalFields } from './signDisplays.js';

export const SIGN_INTERVALS_FILE = 'sign-intervals.json';
/** How often the open intervals are noted (and those whose period is over closed). */
export const NOTE_EVERY_MS = 2_000;

/** What the coalescer needs of a notice: its id and its versions' content hashes. */
interface NoticeVersions {
  id: string;
  versions: readonly { contentHash: string }[];
}

/** An open interval as noted, with the village its sign belonged to. */
type NotedInterval = OpenSignInterval & { villageId: string };

interface IntervalsNote {
  /** The ledger's position when noted: an interval closed after it is found among the records after it. */
  position: LedgerPosition;
  intervals: NotedInterval[];
}

export interface SignIntervalRecords extends RecordSink {
  /** Records the intervals the last run left open (before the signs start). */
  start(): Promise<void>;
}

export function createSignIntervalRecords(deps: {
  ledger: Pick<Ledger, 'append' | 'position' | 'holds' | 'records'>;
  dataDir: string;
  now: () => number;
  /** The town's notices (a card whose content is no version of theirs is recorded on its own). */
  notices: () => readonly NoticeVersions[];
  logger: Logger;
  noteEveryMs?: number;
}): SignIntervalRecords {
  const { logger } = deps;
  const file = path.join(deps.dataDir, SIGN_INTERVALS_FILE);
  const sink = createRecordSink({ ledger: deps.ledger, logger });
  /** Content hash → notice, rebuilt only when the notices change (each state write replaces the array). */
  let known: { notices: readonly NoticeVersions[]; ids: Map<string, string> } | null = null;
  const noticeOf = (contentHash: string): string | undefined => {
    const notices = deps.notices();
    if (known?.notices !== notices) known = { notices, ids: new Map(notices.flatMap((n) => n.versions.map((v) => [v.contentHash, n.id]))) };
    return known.ids.get(contentHash);
  };
  const displays = createDisplayCoalescer({ noticeOf });
  /** Each sign's village, as its last card said. */
  const villages = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let noting: Promise<void> | null = null;
  /** Whether the intervals changed since the last note (an idle town does not rewrite the file every 2 s). */
  let dirty = true;

  const toEntry = (interval: OpenSignInterval, villageId: string): LedgerEntry => ({
    ...intervalFields(interval),
    villageId,
    recordId: interval.recordId,
  });
  const closed = (intervals: readonly OpenSignInterval[]): LedgerEntry[] =>
    intervals.map((interval) => toEntry(interval, villages.get(interval.source) ?? ''));

  const writeNote = (): Promise<void> => {
    const note: IntervalsNote = {
      position: deps.ledger.position(),
      intervals: displays.open().map((i) => ({ ...i, villageId: villages.get(i.source) ?? '' })),
    };
    dirty = false;
    return writeFileDurably(file, JSON.stringify(note));
  };
  /** Closes what is due and notes the rest (never two notes at once). */
  const note = (): Promise<void> => {
    if (noting) return noting;
    const due = closed(displays.closeDue(deps.now()));
    if (due.length > 0) void sink.put(due).catch(() => undefined);
    if (!dirty && due.length === 0) return Promise.resolve();
    noting = writeNote()
      .catch((error: unknown) => logger.error('could not note the signs’ open display intervals', { error }))
      .finally(() => {
        noting = null;
      });
    return noting;
  };

  async function readNote(): Promise<IntervalsNote | null> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) return null;
    try {
      const parsed = JSON.parse(text) as Partial<IntervalsNote>;
      if (!parsed.position || !Array.isArray(parsed.intervals)) throw new Error('not a note of open intervals');
      return { position: parsed.position, intervals: parsed.intervals };
    } catch (error) {
      // Written atomically, so this is damage from outside: say so, and go on without (the ledger is unharmed).
      logger.error(`${file} is unreadable; the signs' display intervals open at the last stop are not recorded`, { error });
      return null;
    }
  }

  return {
    async start() {
      const last = await readNote();
      if (last && last.intervals.length > 0) {
        const ids = new Set(last.intervals.map((i) => i.recordId));
        // Closed and recorded after the note: the ledger holds them after its position (all of it, if restored).
        const after = (await deps.ledger.holds(last.position)) ? { after: last.position } : undefined;
        for await (const record of deps.ledger.records(after)) {
          if (typeof record.recordId === 'string') ids.delete(record.recordId);
          if (ids.size === 0) break;
        }
        const lost = last.intervals.filter((i) => ids.has(i.recordId));
        if (lost.length > 0) {
          await deps.ledger.append(lost.map((i) => toEntry(i, i.villageId)));
          logger.warn(`recorded ${lost.length} sign display interval(s) left open by the last run, where their last noted card ended`);
        }
      }
      await writeNote();
      timer = setInterval(() => void note(), deps.noteEveryMs ?? NOTE_EVERY_MS);
      timer.unref();
    },
    put(entries) {
      const out: LedgerEntry[] = [];
      for (const entry of entries) {
        if (entry.type !== 'sign.display') {
          out.push(entry);
          continue;
        }
        villages.set(entry.signId, entry.villageId);
        out.push(...closed(displays.fold(displayCard(entry), true)));
        dirty = true;
      }
      return out.length === 0 ? Promise.resolve() : sink.put(out);
    },
    backlog: () => sink.backlog(),
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await noting;
      // The signs stopped first (their last cards are folded in): every interval closes now, and nothing is left open.
      const rest = closed(displays.closeAll());
      const last = rest.length > 0 ? sink.put(rest).catch(() => undefined) : null;
      await sink.stop();
      await last;
      await writeNote().catch((error: unknown) => logger.error('could not note the signs’ display intervals', { error }));
    },
  };
}
