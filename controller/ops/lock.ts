/**
 * `<data dir>/controller.lock`: taken by a controller at start and removed at
 * stop, so that a second controller, or a restore, cannot use a data directory
 * a running controller holds. A lock left by a process that is gone (kill -9,
 * power cut) is stale and taken over: its pid is no longer alive, or it was
 * written before this machine's last boot.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';

export const LOCK_FILE = 'controller.lock';

export interface LockInfo {
  pid: number;
  host: string;
  /** Linux boot id when written; a different one now means the machine rebooted since. */
  bootId: string | null;
  startedAt: number;
  token: string;
}

export type LockState = { state: 'free' } | { state: 'held'; info: LockInfo } | { state: 'stale'; info: LockInfo | null; why: string };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly info: LockInfo,
  ) {
    super(
      `the data directory ${dataDir} is in use by a running Gongshi controller (pid ${info.pid} on ${info.host}, since ${new Date(info.startedAt).toISOString()}); stop it first ` +
        `(数据目录正被运行中的控制器使用，请先停止它). If you are sure none runs, remove ${path.join(dataDir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Whether `pid` runs. A zombie (killed, not yet reaped by its parent, e.g. under a container's init-less pid 1) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): the signal check is all we have
  }
}

/** Whether a controller holds `dataDir` now. */
export async function inspectLock(dataDir: string): Promise<LockState> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, LOCK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw error;
  }
  let info: LockInfo;
  try {
    info = JSON.parse(text) as LockInfo;
    if (typeof info.pid !== 'number' || typeof info.host !== 'string') throw new Error('fields');
  } catch {
    // Written part-way when the power went: nobody can be holding it.
    return { state: 'stale', info: null, why: 'the lock file is unreadable' };
  }
  if (info.host !== os.hostname()) return { state: 'held', info }; // another machine: we cannot tell, so assume it runs
  const boot = bootId();
  if (info.bootId && boot && info.bootId !== boot) return { state: 'stale', info, why: 'written before the last reboot' };
  if (!alive(info.pid)) return { state: 'stale', info, why: `process ${info.pid} is not running` };
  return { state: 'held', info };
}

/**
 * Takes the lock or throws {@link DataDirLockedError}; a stale lock is logged
 * and replaced. `release()` removes the file only if it is still this lock.
 */
export async function acquireLock(dataDir: string, deps: { logger: Logger; now: () => number }): Promise<{ release(): Promise<void> }> {
  const file = path.join(dataDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), bootId: bootId(), startedAt: deps.now(), token: randomUUID() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(info)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const found = await inspectLock(dataDir);
      if (found.state === 'held') throw new DataDirLockedError(dataDir, found.info);
      if (found.state === 'stale') {
        deps.logger.warn(`taking over a stale lock ${file}: ${found.why}`, { previous: found.info });
        await rm(file, { force: true });
      }
    }
  }
  return {
    async release() {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.includes(info.token)) await rm(file, { force: true });
    },
  };
}
