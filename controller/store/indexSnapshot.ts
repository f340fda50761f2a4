/**
 * Snapshots of the indexes the controller derives from the ledger (the
 * receipt index, the node record index), so a start reads only the records
 * after them instead of the whole ledger (issue 12 point 12).
 *
 * A snapshot is `<data dir>/indexes/<name>.json`: one header line, then the
 * index's data as JSON. The header names the format, the ledger position the
 * data reflects (the record's seq and hash and the byte where its line ends,
 * store/ledger.ts) and the SHA-256 of the data. It is written durably (temp
 * file, fsync, rename, fsync dir), so a kill -9 leaves the old snapshot or the
 * new one. At start a snapshot is used only if
 *
 * - its header parses, is of this format, and its data has that SHA-256 (not
 *   torn, not edited);
 * - the ledger still holds that record, with that hash, ending at that byte
 *   (not a ledger restored from an older copy, cut, or rewritten);
 *
 * and the index then folds the records after that byte, as many as the
 * snapshot is behind. Otherwise it is rebuilt from the whole ledger, once.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { writeFileDurably } from './durableFile.js';
import type { LedgerPosition } from './ledger.js';

export const INDEXES_DIR = 'indexes';

interface Header {
  index: string;
  format: number;
  position: LedgerPosition;
  sha256: string;
  at: number;
}

export interface IndexSnapshotFile<T> {
  readonly file: string;
  /** The snapshot's data and position if it is whole, of this format, and the ledger still holds its position; else null (said in the log). */
  load(holds: (position: LedgerPosition) => Promise<boolean>): Promise<{ position: LedgerPosition; data: T } | null>;
  save(position: LedgerPosition, data: T, at: number): Promise<void>;
  remove(): Promise<void>;
}

const isPosition = (p: unknown): p is LedgerPosition => {
  const x = p as Partial<LedgerPosition> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    Number.isSafeInteger(x.seq) &&
    typeof x.hash === 'string' &&
    typeof x.segment === 'string' &&
    Number.isSafeInteger(x.offset)
  );
};

export function indexSnapshotFile<T>(deps: { dataDir: string; name: string; format: number; logger: Logger }): IndexSnapshotFile<T> {
  const file = path.join(deps.dataDir, INDEXES_DIR, `${deps.name}.json`);
  return {
    file,
    async load(holds) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          deps.logger.warn(`cannot read ${file}; rebuilding the ${deps.name} index`, { error });
        return null;
      }
      const newline = text.indexOf('\n');
      let header: Partial<Header>;
      try {
        header = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as Partial<Header>;
      } catch {
        header = {};
      }
      const body = newline < 0 ? '' : text.slice(newline + 1);
      if (header.index !== deps.name || header.format !== deps.format || !isPosition(header.position)) {
        deps.logger.warn(`the ${deps.name} index snapshot is unreadable or of another format; rebuilding from the ledger`);
        return null;
      }
      if (createHash('sha256').update(body).digest('hex') !== header.sha256) {
        deps.logger.warn(`the ${deps.name} index snapshot is torn or altered (its SHA-256 differs); rebuilding from the ledger`);
        return null;
      }
      if (!(await holds(header.position))) {
        deps.logger.warn(
          `the ledger no longer holds record ${header.position.seq} where the ${deps.name} index snapshot was taken; rebuilding from the ledger`,
        );
        return null;
      }
      try {
        return { position: header.position, data: JSON.parse(body) as T };
      } catch {
        deps.logger.warn(`the ${deps.name} index snapshot's data does not parse; rebuilding from the ledger`);
        return null;
      }
    },
    async save(position, data, at) {
      const body = JSON.stringify(data);
      const header: Header = {
        index: deps.name,
        format: deps.format,
        position,
        sha256: createHash('sha256').update(body).digest('hex'),
        at,
      };
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileDurably(file, `${JSON.stringify(header)}\n${body}`, 0o600);
    },
    remove: () => rm(file, { force: true }),
  };
}

/** An index that follows the ledger and can be saved: what {@link createIndexKeeper} saves. */
export interface SavedIndex {
  readonly name: string;
  /** The last ledger seq folded into the index. */
  throughSeq(): number;
  /** The seq of the snapshot on disk (loaded at start or saved since); 0 if none. */
  savedSeq(): number;
  /** Writes the snapshot at `position` (whose seq is {@link SavedIndex.throughSeq}). */
  save(position: LedgerPosition): Promise<void>;
}

/** Records after the last save before an index is saved again (at stop it is saved whatever the count). */
export const SAVE_EVERY_RECORDS = 20_000;
export const SAVE_CHECK_MS = 60_000;

/**
 * Saves every index's snapshot from a timer (never inside an append's continuation: there the ledger's end can be
 * ahead of what the indexes have folded) once the ledger has moved {@link SAVE_EVERY_RECORDS} past it, and at stop.
 */
export function createIndexKeeper(deps: {
  indexes: readonly SavedIndex[];
  position: () => LedgerPosition;
  logger: Logger;
  /** Also run on every check (the state's ledger mark is moved forward here, store/recordThenSave.ts). */
  alsoEvery?: () => Promise<void>;
  everyRecords?: number;
  checkMs?: number;
}): { start(): void; stop(): Promise<void>; saveAll(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  const every = deps.everyRecords ?? SAVE_EVERY_RECORDS;

  const saveDue = async (force: boolean): Promise<void> => {
    const position = deps.position();
    for (const index of deps.indexes) {
      if (index.savedSeq() === position.seq || (!force && position.seq - index.savedSeq() < every)) continue;
      if (index.throughSeq() !== position.seq) {
        deps.logger.debug(`the ${index.name} index is at ${index.throughSeq()}, the ledger at ${position.seq}; saving later`);
        continue;
      }
      try {
        await index.save(position);
      } catch (error) {
        deps.logger.warn(`could not save the ${index.name} index snapshot; the next start reads more of the ledger`, { error });
      }
    }
    await deps.alsoEvery?.().catch((error: unknown) => deps.logger.warn('periodic ledger bookkeeping failed', { error }));
  };
  /** One pass at a time, in order. */
  let queue: Promise<void> = Promise.resolve();
  const run = (force: boolean): Promise<void> => (queue = queue.then(() => saveDue(force)));

  return {
    start() {
      timer = setInterval(() => void run(false), deps.checkMs ?? SAVE_CHECK_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await run(true);
    },
    saveAll: () => run(true),
  };
}
