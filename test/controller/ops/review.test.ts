/**
 * The review findings on backup / restore / lock, each at its cause: the
 * backup's ledger end is an acknowledged record, archives are never
 * overwritten, hostile archives are refused, and stale locks are recognised
 * and taken over by exactly one starter.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAME, createBackup } from '../../../controller/ops/backup.js';
import { DataDirLockedError, LOCK_FILE, acquireLock, inspectLock, processStart } from '../../../controller/ops/lock.js';
import { restoreBackup } from '../../../controller/ops/restore.js';
import { createLogger } from '../../../controller/logger.js';
import { writeFileDurably } from '../../../controller/store/durableFile.js';
import { startController } from '../../helpers/controller.js';
import { readArchive, writeArchive } from './archive.js';

const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-review-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent' });

const line = (seq: number, ts: number): string => `${JSON.stringify({ seq, ts, type: 'x', prevHash: `p${seq}`, hash: `h${seq}` })}\n`;

/** A data directory whose last ledger batch (ts 2000: seq 3 and 4) is not yet followed by anything. */
async function liveDir(name: string): Promise<{ dir: string; segment: string }> {
  const dir = path.join(work, name);
  await mkdir(path.join(dir, 'ledger'), { recursive: true });
  await writeFile(path.join(dir, 'state.json'), '{"schemaVersion":2}');
  const segment = path.join(dir, 'ledger', '2026-11.jsonl');
  await writeFile(segment, line(1, 1000) + line(2, 1000) + line(3, 2000) + line(4, 2000));
  return { dir, segment };
}

describe('the ledger end of a backup taken while the controller runs', () => {
  it('leaves out the last batch while nothing proves it acknowledged (its fdatasync may still fail)', async () => {
    const { dir } = await liveDir('idle');
    const { manifest, file, leftOut } = await createBackup({
      dataDir: dir,
      out: path.join(work, 'idle.tar.gz'),
      gongshiVersion: 't',
      ledgerStopped: false,
      proofWaitMs: 200,
    });
    expect(manifest.ledger).toMatchObject({ seq: 2, headHash: 'h2' });
    expect(leftOut).toBe(2);
    expect((await readArchive(file)).files.get('ledger/2026-11.jsonl')?.toString()).toBe(line(1, 1000) + line(2, 1000));
  });

  it('keeps it once a later batch (another ts) follows it, in the same segment or a newer one', async () => {
    const { dir, segment } = await liveDir('proved');
    await appendFile(segment, line(5, 3000));
    const same = await createBackup({
      dataDir: dir,
      out: path.join(work, 'proved.tar.gz'),
      gongshiVersion: 't',
      ledgerStopped: false,
      proofWaitMs: 200,
    });
    // The size taken includes seq 5 itself, which is now the unproven last batch: the archive ends at seq 4.
    expect(same.manifest.ledger).toMatchObject({ seq: 4, headHash: 'h4' });
    await writeFile(path.join(dir, 'ledger', '2026-12.jsonl'), line(6, 4000));
    const newer = await createBackup({
      dataDir: dir,
      out: path.join(work, 'proved2.tar.gz'),
      gongshiVersion: 't',
      ledgerStopped: false,
      proofWaitMs: 200,
    });
    expect(newer.manifest.ledger).toMatchObject({ seq: 5, headHash: 'h5' });
    expect([same.leftOut, newer.leftOut]).toEqual([1, 1]);
  });

  it('copies every whole line when no controller is appending', async () => {
    const { dir } = await liveDir('stopped');
    const { manifest } = await createBackup({ dataDir: dir, out: path.join(work, 'stopped.tar.gz'), gongshiVersion: 't' });
    expect(manifest.ledger).toMatchObject({ seq: 4, headHash: 'h4' });
  });
});

describe('backup archives are never overwritten', () => {
  it('two backups to the same name at once: one is written, the other refused, and the file reads back whole', async () => {
    const { dir } = await liveDir('twice');
    const out = path.join(work, 'twice.tar.gz');
    const results = await Promise.allSettled([0, 1].map(() => createBackup({ dataDir: dir, out, gongshiVersion: 't' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(String(refused?.status === 'rejected' ? refused.reason : '')).toMatch(/already exists.*备份文件已存在/);
    expect((await readArchive(out)).manifest.ledger.seq).toBe(4);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await readdir(work)).filter((n) => n.includes('partial'))).toEqual([]);
  });
});

describe('restore refuses hostile archives', () => {
  it('a controller.lock member, or any name a backup does not hold', async () => {
    const { dir } = await liveDir('src');
    const good = (await createBackup({ dataDir: dir, out: path.join(work, 'src.tar.gz'), gongshiVersion: 't' })).file;
    for (const name of [LOCK_FILE, 'notes.txt', 'ledger/extra.jsonl']) {
      const { files } = await readArchive(good);
      const manifest = files.get(MANIFEST_NAME) ?? Buffer.alloc(0);
      files.delete(MANIFEST_NAME);
      files.set(name, Buffer.from('{}'));
      files.set(MANIFEST_NAME, manifest);
      const archive = path.join(work, `hostile-${name.replace('/', '-')}.tar.gz`);
      await writeArchive(archive, files);
      const target = path.join(work, `restore-${name.replace('/', '-')}`);
      await expect(restoreBackup({ archive, dataDir: target, logger })).rejects.toThrow(
        new RegExp(`holds "${name}", which no Gongshi backup contains.*备份中含有不应存在的文件`),
      );
      await expect(readdir(target)).rejects.toThrow(/ENOENT/);
    }
  });

  it('a manifest larger than 16 MB, before buffering it', async () => {
    const archive = path.join(work, 'huge-manifest.tar.gz');
    await writeArchive(archive, new Map([[MANIFEST_NAME, Buffer.alloc(16 * 1024 * 1024 + 1, 0x20)]]));
    await expect(restoreBackup({ archive, dataDir: path.join(work, 'restore-huge'), logger })).rejects.toThrow(
      /more than a manifest can be.*备份清单过大/,
    );
  });

  it('a restore leaves no lock behind in the restored or the moved-aside directory', async () => {
    const t = await startController();
    await t.stop();
    const good = (await createBackup({ dataDir: t.dataDir, out: path.join(work, 'src2.tar.gz'), gongshiVersion: 't' })).file;
    await rm(t.dataDir, { recursive: true, force: true });
    const target = path.join(work, 'occupied');
    await mkdir(target);
    await writeFile(path.join(target, 'state.json'), '{"mine":true}');
    const { movedAside } = await restoreBackup({ archive: good, dataDir: target, force: true, logger });
    expect(await readdir(target)).not.toContain(LOCK_FILE);
    expect(await readdir(movedAside ?? '')).toEqual(['state.json']);
  }, 60_000);
});

describe('stale locks', () => {
  const lockIn = async (dir: string, info: Record<string, unknown>) => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ host: os.hostname(), bootId: null, startedAt: 0, token: 'old', ...info }));
  };

  it("this process's own pid, from a lock it does not hold (pid 1 restarting in a container), is stale", async () => {
    const dir = path.join(work, 'own-pid');
    await lockIn(dir, { pid: process.pid });
    expect(await inspectLock(dir)).toMatchObject({ state: 'stale', why: expect.stringContaining("this process's pid") });
    const lock = await acquireLock(dir, { logger, now: Date.now });
    expect(await inspectLock(dir)).toMatchObject({ state: 'held' });
    await lock.release();
  });

  it('a live pid that is another process than the one that wrote the lock (pid reused) is stale', async () => {
    const child = spawn('sleep', ['30']);
    try {
      const pid = child.pid ?? 0;
      const started = processStart(pid);
      expect(started).not.toBeNull();
      const dir = path.join(work, 'reused');
      await lockIn(dir, { pid, procStart: (started ?? 0) + 1 });
      expect(await inspectLock(dir)).toMatchObject({ state: 'stale', why: expect.stringContaining('belongs to another process') });
      await lockIn(dir, { pid, procStart: started });
      expect(await inspectLock(dir)).toMatchObject({ state: 'held' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('two starters taking over the same stale lock: exactly one gets it, the other is refused', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = path.join(work, `race-${round}`);
      await lockIn(dir, { pid: process.pid, token: `stale-${round}` });
      const results = await Promise.allSettled([0, 1].map(() => acquireLock(dir, { logger, now: Date.now })));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(DataDirLockedError);
      const winner = won[0]?.status === 'fulfilled' ? won[0].value : null;
      expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ token: winner?.info.token });
      await winner?.release();
      expect((await readdir(dir)).filter((n) => n.startsWith(LOCK_FILE))).toEqual([]);
    }
  });
});

describe('writeFileDurably', () => {
  it('writes exactly the mode asked for and leaves no temporary file, whatever was there before', async () => {
    const dir = path.join(work, 'durable');
    await mkdir(dir);
    const file = path.join(dir, 'secret.key');
    await writeFile(`${file}.tmp`, 'old', { mode: 0o644 }); // an old-style leftover temporary file
    await writeFileDurably(file, 'private', 0o600);
    expect(await readFile(file, 'utf8')).toBe('private');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['secret.key', 'secret.key.tmp']);
  });
});
