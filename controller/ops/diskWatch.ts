/**
 * A full disk, said plainly. A write refused with ENOSPC (no space) or EDQUOT
 * (quota) is noted; the health check then reports `degraded` with the reason
 * until the data directory (and its ledger folder, which may be a mount of
 * its own) has space again and a small probe write there succeeds. The free
 * space is read with statfs, so a disk that fills without a failed request
 * shows too.
 */
import { open, rm, statfs } from 'node:fs/promises';
import path from 'node:path';

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
/** Below this much free space a data disk counts as full: a state write needs the whole state file again. */
export const MIN_FREE_BYTES = 256 * 1024;
const PROBE_BYTES = 16 * 1024;
const CACHE_MS = 1000;

export const DISK_FULL_MESSAGE =
  '控制器数据目录所在的磁盘已满，此操作未保存；请清理磁盘空间后重试。The disk holding the controller’s data directory is full; nothing was saved. Free some space on it and try again.';

/** True when `error` (or an error in its `cause` chain) is a refusal for want of space or quota. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
  }
  return false;
}

export type DiskStatus = { full: false } | { full: true; since: number; freeBytes: number | null };

export interface DiskWatch {
  /** Notes a failed write; true if it was a full disk. */
  note(error: unknown): boolean;
  status(): Promise<DiskStatus>;
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

async function probe(dir: string): Promise<boolean> {
  const file = path.join(dir, `.disk-probe-${process.pid}`);
  try {
    const handle = await open(file, 'w');
    try {
      await handle.write(Buffer.alloc(PROBE_BYTES));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await rm(file, { force: true });
  }
}

export function createDiskWatch(deps: { dataDir: string; now: () => number }): DiskWatch {
  const dirs = [deps.dataDir, path.join(deps.dataDir, 'ledger')];
  let since: number | null = null;
  let cached: { at: number; status: Promise<DiskStatus> } | null = null;

  const check = async (): Promise<DiskStatus> => {
    const free = (await Promise.all(dirs.map(freeBytes))).filter((b): b is number => b !== null);
    const least = free.length > 0 ? Math.min(...free) : null;
    if (least !== null && least < MIN_FREE_BYTES) {
      since ??= deps.now();
      return { full: true, since, freeBytes: least };
    }
    if (since !== null) {
      if (!(await Promise.all(dirs.map(probe))).every(Boolean)) return { full: true, since, freeBytes: least };
      since = null;
    }
    return { full: false };
  };

  return {
    note(error) {
      if (!isDiskFull(error)) return false;
      since ??= deps.now();
      cached = null;
      return true;
    },
    status() {
      const now = deps.now();
      if (!cached || now - cached.at >= CACHE_MS) cached = { at: now, status: check() };
      return cached.status;
    },
  };
}
