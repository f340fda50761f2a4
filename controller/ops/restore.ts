/**
 * Restores a backup made by {@link createBackup}: unpack into a temporary
 * directory beside the target, check everything (restoreCheck.ts), and only
 * then rename the directory into place. Any failure removes the temporary
 * directory and leaves the target exactly as it was.
 *
 * The target's lock (controller.lock) is held from the first check to the
 * last rename, so a controller started meanwhile (a systemd restart) refuses
 * the directory instead of writing records into one about to be moved aside.
 * The lock travels with the swap: a copy of it (same token) is written into
 * the new directory before it is renamed into place, and both copies are
 * removed once the restore is done.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, createLogger } from '../logger.js';
import { syncDir } from '../store/durableFile.js';
import { type BackupManifest, compactStamp } from './backup.js';
import { DataDirLockedError, LOCK_FILE, type LockInfo, acquireLock } from './lock.js';
import { RestoreError, checkContents, checkFiles, unpack } from './restoreCheck.js';

export { RestoreError } from './restoreCheck.js';

async function entriesOf(dir: string): Promise<string[] | null> {
  return readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

/** Unpacks and checks `archive` into `temp`, turning file-system failures into a clear RestoreError. */
async function unpackChecked(archive: string, temp: string): Promise<BackupManifest> {
  let unpacked;
  try {
    unpacked = await unpack(archive, temp);
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await exists(archive)))
      throw new RestoreError(`${archive} does not exist (备份文件不存在)`, { cause: error });
    throw new RestoreError(
      `${archive} is damaged and cannot be read (${(error as Error).message}); nothing was restored (备份文件已损坏，未做任何恢复)`,
      { cause: error },
    );
  }
  checkFiles(unpacked.manifest, unpacked.actual);
  await checkContents(temp, unpacked.manifest);
  return unpacked.manifest;
}

/** Removes the lock copy in `dir` if it is still ours. */
async function dropLockCopy(dir: string, info: LockInfo): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.includes(info.token)) await rm(file, { force: true });
}

/**
 * Restores `archive` into `dataDir`. Refuses while a controller holds
 * `dataDir`, and refuses a non-empty `dataDir` unless `force`; with `force`
 * the old directory is kept beside it as `<dataDir>.before-restore-<time>`.
 */
export async function restoreBackup(opts: {
  archive: string;
  dataDir: string;
  force?: boolean;
  now?: () => number;
  logger?: Logger;
}): Promise<{ manifest: BackupManifest; movedAside: string | null; records: number }> {
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? createLogger({ level: 'warn', namespace: 'restore' });
  const target = path.resolve(opts.dataDir);
  const before = await entriesOf(target);
  if (before && before.some((n) => n !== LOCK_FILE) && !opts.force) {
    throw new RestoreError(
      `${target} is not empty; pass --force to replace it (the old directory is kept beside it) (目标数据目录非空，如需覆盖请加 --force)`,
    );
  }
  await mkdir(target, { recursive: true, mode: 0o700 });
  let lock;
  try {
    lock = await acquireLock(target, { logger, now });
  } catch (error) {
    if (!before) await rmdir(target).catch(() => undefined);
    if (!(error instanceof DataDirLockedError)) throw error;
    throw new RestoreError(
      `a Gongshi controller (pid ${error.info.pid} on ${error.info.host}) is running on ${target}; stop it before restoring (控制器正在使用该数据目录，请先停止)`,
      { cause: error },
    );
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.restore-${randomUUID().slice(0, 8)}`);
  let movedAside: string | null = null;
  let swapped = false;
  try {
    const existing = ((await entriesOf(target)) ?? []).filter((n) => n !== LOCK_FILE);
    await mkdir(temp, { mode: 0o700 });
    const manifest = await unpackChecked(opts.archive, temp);
    // The new directory carries the lock into place, so the target is never unlocked while it exists.
    const handle = await open(path.join(temp, LOCK_FILE), 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(lock.info)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    movedAside =
      existing.length > 0
        ? `${target}.before-restore-${compactStamp(now())}`
        : path.join(path.dirname(target), `.${path.basename(target)}.restore-empty-${randomUUID().slice(0, 8)}`);
    await rename(target, movedAside);
    await rename(temp, target);
    swapped = true;
    await syncDir(path.dirname(target));
    await dropLockCopy(movedAside, lock.info);
    if (existing.length === 0) {
      await rmdir(movedAside);
      movedAside = null;
    }
    await syncDir(path.dirname(target));
    return { manifest, movedAside, records: manifest.ledger.seq };
  } catch (error) {
    if (!swapped && movedAside && !(await exists(target))) {
      // The old directory was moved aside but the new one never arrived: put the old one back as it was.
      await rename(movedAside, target);
    }
    await rm(temp, { recursive: true, force: true });
    if (!swapped && !before) await rm(path.join(target, LOCK_FILE), { force: true }).then(() => rmdir(target).catch(() => undefined));
    throw error;
  } finally {
    await lock.release();
  }
}
