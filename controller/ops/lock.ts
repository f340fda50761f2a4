/**
 * `<data dir>/controller.lock`: taken by a controller at start and removed at
 * stop, so that a second controller, or a restore, cannot use a data directory
 * a running controller holds. A lock left by a process that is gone (kill -9,
 * power cut) is stale and taken over: it was written before this machine's
 * last boot; its pid is no longer alive (a zombie counts as gone); the pid is
 * alive but is another process that reused the number (its start time, field
 * 22 of /proc/<pid>/stat, differs from the one the lock recorded); or the pid is
 * this process's own but this process does not hold that lock (pid 1 in a
 * container restarted against its own old lock).
 *
 * Taking over is race-free between starters: the stale file is renamed to a
 * unique name, and only if the renamed file is still the stale lock that was
 * judged (same bytes) is it removed; a fresh lock renamed by mistake (another
 * starter won meanwhile) is linked back. The new lock is then created with
 * 'wx', so of two starters exactly one gets it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, rm, unlink } from 'node:fs/promises';
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
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), where /proc exists. */
  procStart?: number | null;
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

/** Tokens of the locks this process holds now: a lock with this process's pid but another token is an earlier process's. */
const heldHere = new Set<string>();

/** Field 22 of /proc/<pid>/stat (start time, clock ticks after boot), or null without /proc. */
export function processStart(pid: number | 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm)" start at field 3; the comm may hold spaces and ')' so split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(rest[22 - 3]);
    return Number.isFinite(value) ? value : null;
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
  return (await judgeLock(dataDir)).state;
}

/** The lock's state and the exact bytes it was judged on (null when there is no lock). */
async function judgeLock(dataDir: string): Promise<{ state: LockState; text: string | null }> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, LOCK_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: { state: 'free' }, text: null };
    throw error;
  }
  return { state: judgeText(text), text };
}

function judgeText(text: string): LockState {
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
  if (info.pid === process.pid) {
    if (heldHere.has(info.token)) return { state: 'held', info };
    return { state: 'stale', info, why: `written by an earlier process with this process's pid ${info.pid}` };
  }
  if (!alive(info.pid)) return { state: 'stale', info, why: `process ${info.pid} is not running` };
  if (typeof info.procStart === 'number') {
    const now = processStart(info.pid);
    if (now !== null && now !== info.procStart)
      return {
        state: 'stale',
        info,
        why: `pid ${info.pid} now belongs to another process (started at tick ${now}, not ${info.procStart})`,
      };
  }
  return { state: 'held', info };
}

/** Moves the stale lock whose bytes were `judged` out of the way; puts back a lock that changed meanwhile. */
async function removeStale(file: string, judged: string): Promise<void> {
  const aside = `${file}.stale-${randomUUID().slice(0, 8)}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another starter moved it first
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== judged) {
    // Another starter replaced the stale lock between our read and our rename: give its lock back.
    await link(aside, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  await unlink(aside);
}

/**
 * Takes the lock or throws {@link DataDirLockedError}; a stale lock is logged
 * and replaced. `release()` removes the file only if it is still this lock.
 * `info` is what the lock file holds (written again elsewhere by a restore).
 */
export async function acquireLock(
  dataDir: string,
  deps: { logger: Logger; now: () => number },
): Promise<{ info: LockInfo; release(): Promise<void> }> {
  const file = path.join(dataDir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    bootId: bootId(),
    startedAt: deps.now(),
    token: randomUUID(),
    procStart: processStart('self'),
  };
  const text = `${JSON.stringify(info)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        heldHere.add(info.token);
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      heldHere.delete(info.token);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
      const { state: found, text: judged } = await judgeLock(dataDir);
      if (judged === null) continue; // released meanwhile: try again
      if (found.state === 'held') throw new DataDirLockedError(dataDir, found.info);
      if (found.state === 'stale') {
        deps.logger.warn(`taking over a stale lock ${file}: ${found.why}`, { previous: found.info });
        await removeStale(file, judged);
      }
    }
  }
  return {
    info,
    async release() {
      const current = await readFile(file, 'utf8').catch(() => '');
      if (current.includes(info.token)) await rm(file, { force: true });
      heldHere.delete(info.token);
    },
  };
}
