/**
 * The restore's final swap, with node:fs/promises' rename wrapped so the test
 * can look at the directory at that moment, or make the second rename fail
 * (as a full or failing disk would): the target is locked throughout, and a
 * failed swap puts the old directory back as it was.
 */
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { createBackup } from '../../../controller/ops/backup.js';
import { DataDirLockedError, LOCK_FILE, acquireLock, inspectLock } from '../../../controller/ops/lock.js';
import { restoreBackup } from '../../../controller/ops/restore.js';
import { makeDataDir, startController } from '../../helpers/controller.js';

const hooks: { beforeRename?: (from: string, to: string) => Promise<void> } = {};
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsp>();
  const rename = async (from: string, to: string): Promise<void> => {
    await hooks.beforeRename?.(String(from), String(to));
    return real.rename(from, to);
  };
  return { ...real, rename, default: { ...real, rename } };
});

const logger = createLogger({ level: 'silent' });
let work = '';
let good = '';

beforeAll(async () => {
  work = await makeDataDir();
  const t = await startController();
  await t.stop();
  good = (await createBackup({ dataDir: t.dataDir, out: path.join(work, 'good.tar.gz'), gongshiVersion: 'test' })).file;
  await fsp.rm(t.dataDir, { recursive: true, force: true });
}, 60_000);
afterAll(async () => {
  hooks.beforeRename = undefined;
  await fsp.rm(work, { recursive: true, force: true });
});

async function occupied(name: string): Promise<string> {
  const target = path.join(work, name);
  await fsp.mkdir(target);
  await fsp.writeFile(path.join(target, 'state.json'), '{"mine":true}');
  return target;
}

describe('the restore swap', () => {
  it('holds the target locked until the new directory is in place: a controller starting meanwhile is refused', async () => {
    const target = await occupied('locked');
    const seen: string[] = [];
    hooks.beforeRename = async (from, to) => {
      if (from === target) {
        seen.push(`aside:${(await inspectLock(target)).state}`);
        await expect(acquireLock(target, { logger, now: Date.now })).rejects.toBeInstanceOf(DataDirLockedError);
      } else if (to === target) {
        seen.push(`in:${(await inspectLock(from)).state}`);
      }
    };
    try {
      const { movedAside } = await restoreBackup({ archive: good, dataDir: target, force: true, logger });
      // Moving the old directory aside: it is locked; putting the new one in: it carries the lock with it.
      expect(seen).toEqual(['aside:held', 'in:held']);
      expect(await fsp.readdir(target)).not.toContain(LOCK_FILE);
      expect(await fsp.readdir(movedAside ?? '')).toEqual(['state.json']);
    } finally {
      hooks.beforeRename = undefined;
    }
  });

  it('puts the old directory back when the new one cannot be renamed into place', async () => {
    const target = await occupied('swap-fails');
    hooks.beforeRename = (from, to) => {
      if (to === target && path.basename(from).startsWith('.swap-fails.restore-'))
        return Promise.reject(Object.assign(new Error('EIO: simulated failure of the swap'), { code: 'EIO' }));
      return Promise.resolve();
    };
    try {
      await expect(restoreBackup({ archive: good, dataDir: target, force: true, logger })).rejects.toThrow(/simulated failure/);
    } finally {
      hooks.beforeRename = undefined;
    }
    expect(await fsp.readdir(target)).toEqual(['state.json']);
    expect(await fsp.readFile(path.join(target, 'state.json'), 'utf8')).toBe('{"mine":true}');
    const left = (await fsp.readdir(work)).filter((n) => n.includes('swap-fails') && n !== 'swap-fails');
    expect(left).toEqual([]);
  });
});
