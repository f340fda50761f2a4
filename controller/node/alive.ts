/**
 * The node's note of being alive (`alive.json`), rewritten atomically every
 * couple of seconds while it runs, and before any closed display interval
 * goes to the outbox: when (controller time and its own raw clock), the
 * cards on the signs then, the coalesced display intervals open then
 * (displays.ts), and those closed but perhaps not yet in the outbox, each
 * interval with the record id it will carry. A kill -9 or a power cut keeps
 * all of these in memory only; at the next start the node folds each noted
 * card into its interval as ended at the last moment it knew itself alive
 * (`endReason: 'unclean-stop'`), and records every noted interval the outbox
 * does not hold yet. Because a note always precedes the outbox append of an
 * interval it names, a card is never counted both in a recorded interval and
 * again at the next start. The raw clock reading tells the next start whether
 * the machine's clock went backwards while it was down.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from '../store/durableFile.js';
import type { OpenSignInterval } from '../services/signDisplays.js';
import type { IntervalRecord } from './displays.js';
import type { OutboxEntry } from './outbox.js';

export const ALIVE_FILE = 'alive.json';
/** How often a running node notes itself alive (an interval open at a kill ends at most this much early). */
export const ALIVE_INTERVAL_MS = 2_000;

/** A card on a sign when noted (notes of older builds gave each the record id its closing record would carry). */
export type OpenDisplay = Extract<OutboxEntry, { type: 'sign.display' }> & { recordId?: string };

export interface AliveNote {
  /** Controller time (as well as the node knew it) when noted. */
  at: number;
  /** The machine's own clock then, uncorrected. */
  rawAt: number;
  clockTrusted: boolean;
  /** Cards on the signs then, `end` = `at`. */
  open: OpenDisplay[];
  /** Coalesced display intervals open then. */
  intervals: OpenSignInterval[];
  /** Intervals closed and on their way to the outbox then. */
  closing: IntervalRecord[];
  /**
   * The outbox's last number then: a record closing one of `open` is numbered after it, so a start looks for them
   * only among the records after it (0: notes of older builds, the whole outbox).
   */
  outboxSeq: number;
}

export async function readAliveNote(dataDir: string): Promise<AliveNote | null> {
  const text = await readFile(path.join(dataDir, ALIVE_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  try {
    const note = JSON.parse(text) as Partial<AliveNote>;
    if (typeof note.at !== 'number' || typeof note.rawAt !== 'number' || !Array.isArray(note.open)) return null;
    const outboxSeq = typeof note.outboxSeq === 'number' ? note.outboxSeq : 0;
    return {
      at: note.at,
      rawAt: note.rawAt,
      clockTrusted: note.clockTrusted === true,
      open: note.open,
      intervals: Array.isArray(note.intervals) ? note.intervals : [],
      closing: Array.isArray(note.closing) ? note.closing : [],
      outboxSeq,
    };
  } catch {
    return null;
  }
}

export const writeAliveNote = (dataDir: string, note: AliveNote): Promise<void> =>
  writeFileDurably(path.join(dataDir, ALIVE_FILE), JSON.stringify(note));
