/**
 * Temporary files a crash left behind. Durable writes go to a uniquely named
 * temporary file that is renamed over the real one ({@link writeFileDurably});
 * a backup is written to a `.partial` file that is linked into place. A power
 * cut between the write and the rename leaves the temporary file forever, and
 * a state.json temporary file holds a whole copy of the town's state.
 *
 * At start, once this controller holds the data directory's lock (so no other
 * controller writes there), those files are removed: only names of exactly
 * these two schemes, only regular files, only in the directories this code
 * writes to. Nothing else is touched, and what is removed is logged.
 *
 * A backup (`npm run backup`) may run beside a controller without its lock,
 * so a `.partial` file is removed only when nothing has written to it for
 * {@link STALE_PARTIAL_MS}; a live backup writes to it continuously.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { DURABLE_TEMP_NAME } from '../store/durableFile.js';
import { BACKUPS_DIR, BACKUP_PARTIAL_NAME } from './backup.js';
import { KEYS_DIR } from './keys.js';

/**
 * Directories (relative to the data directory) where durable writes happen: state.json and signs.json at the
 * top, the signing key pair, the aggregates snapshot, the photos.
 */
export const DURABLE_WRITE_DIRS: readonly string[] = ['.', KEYS_DIR, 'aggregates', 'photos'];

/** A backup's partial archive untouched this long is a dead backup's. */
export const STALE_PARTIAL_MS = 60 * 60_000;

/** Regular files in `dir` whose names match `pattern`, as paths; none when `dir` does not exist. */
async function matching(dir: string, pattern: RegExp): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  return entries.filter((e) => e.isFile() && pattern.test(e.name)).map((e) => path.join(dir, e.name));
}

/**
 * Removes the temporary files interrupted writes left in `dataDir`; returns their paths relative to it.
 * A file that cannot be removed is logged and left: it costs disk space, not correctness.
 */
export async function removeStrayTempFiles(deps: { dataDir: string; logger: Logger; now: () => number }): Promise<string[]> {
  const candidates: string[] = [];
  for (const dir of DURABLE_WRITE_DIRS) candidates.push(...(await matching(path.join(deps.dataDir, dir), DURABLE_TEMP_NAME)));
  for (const file of await matching(path.join(deps.dataDir, BACKUPS_DIR), BACKUP_PARTIAL_NAME)) {
    const info = await lstat(file).catch(() => null);
    if (!info) continue;
    if (deps.now() - info.mtimeMs >= STALE_PARTIAL_MS) candidates.push(file);
    else deps.logger.info(`kept ${path.relative(deps.dataDir, file)}: written to in the last hour, it may be a backup in progress`);
  }
  const removed: string[] = [];
  for (const file of candidates) {
    const name = path.relative(deps.dataDir, file);
    try {
      await rm(file);
      removed.push(name);
    } catch (error) {
      deps.logger.warn(`could not remove the leftover temporary file ${name}: ${(error as Error).message}`);
    }
  }
  if (removed.length > 0) {
    deps.logger.warn(
      `removed ${removed.length} temporary file(s) an interrupted write left behind (清理了中断写入遗留的临时文件): ${removed.join(', ')}`,
    );
  }
  return removed;
}
