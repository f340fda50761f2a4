/**
 * What the controller does with its data directory at start: one controller
 * per directory (a stale lock is taken over), and a backup before a schema
 * migration, from which the old state can be restored.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, inspectLock } from '../../../controller/ops/lock.js';
import { restoreBackup } from '../../../controller/ops/restore.js';
import { type TestController, makeDataDir, startController } from '../../helpers/controller.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
}, 60_000);

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  if (!child.pid) throw new Error('no pid');
  return child.pid;
}

describe('the data directory lock', () => {
  it('creates a data directory that does not exist yet before taking its lock (npm start on a fresh clone)', async () => {
    const parent = await makeDataDir();
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'not', 'yet');
    const controller = await startController({ dataDir });
    cleanup.push(() => controller.stop());
    const health = (await (await fetch(`${controller.url}/api/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining([LOCK_FILE, 'state.json']));
  }, 60_000);

  it('refuses a second controller on a directory in use, and frees it at stop', async () => {
    const first = await startController();
    cleanup.push(() => first.dispose());
    const lock = JSON.parse(await readFile(path.join(first.dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    await expect(startController({ dataDir: first.dataDir })).rejects.toThrow(
      /in use by a running Gongshi controller .*数据目录正被运行中的控制器使用/,
    );
    await first.stop();
    await expect(readFile(path.join(first.dataDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
    const second = await startController({ dataDir: first.dataDir });
    await second.stop();
  }, 60_000);

  it('takes over a lock left by a process that is gone (kill -9, power cut)', async () => {
    const dataDir = await makeDataDir();
    const pid = await deadPid();
    await writeFile(
      path.join(dataDir, LOCK_FILE),
      JSON.stringify({ pid, host: os.hostname(), bootId: null, startedAt: Date.now() - 60_000, token: 'old' }),
    );
    const t = await startController({ dataDir });
    cleanup.push(() => t.dispose());
    expect(
      t.logs.some((l) => l.level === 'warn' && l.message.includes('stale lock') && l.message.includes(`process ${pid} is not running`)),
    ).toBe(true);
  }, 60_000);
});

describe('migrating state.json to a newer schema', () => {
  it('writes a backup into <data>/backups first, logs where, and the old state restores from it', async () => {
    const dataDir = await makeDataDir();
    const old = {
      schemaVersion: 1,
      createdAt: Date.UTC(2026, 0, 5),
      town: { name: '彪角镇', issuer: '彪角镇人民政府' },
      villages: [{ id: 'v1', name: '彪角村' }],
      users: [],
      sessions: [],
      devices: [],
      notices: [],
    };
    await writeFile(path.join(dataDir, 'state.json'), JSON.stringify(old));
    await mkdir(path.join(dataDir, 'ledger'));
    let t: TestController = await startController({ dataDir, args: ['--demo', 'off'] });
    cleanup.push(() => t.dispose());
    const backups = await readdir(path.join(dataDir, 'backups'));
    expect(backups).toEqual([expect.stringMatching(/^gongshi-backup-\d{8}T\d{6}Z-before-schema-1-to-2-seq0\.tar\.gz$/)]);
    const file = path.join(dataDir, 'backups', backups[0] ?? '');
    expect(t.logs.some((l) => l.level === 'warn' && l.message.includes(`backed up to ${file} before migrating`))).toBe(true);
    expect(JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8'))).toMatchObject({ schemaVersion: 2 });

    // Nothing to migrate on the next start: no second backup.
    await t.stop();
    t = await startController({ dataDir, args: ['--demo', 'off'] });
    expect(await readdir(path.join(dataDir, 'backups'))).toHaveLength(1);

    const restored = path.join(await makeDataDir(), 'data');
    cleanup.push(() => rm(path.dirname(restored), { recursive: true, force: true }));
    await restoreBackup({ archive: file, dataDir: restored });
    expect(JSON.parse(await readFile(path.join(restored, 'state.json'), 'utf8'))).toEqual(old);
  }, 60_000);
});

describe('a controller killed with SIGKILL', () => {
  it('leaves a lock the next start takes over at once', async () => {
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'controller/main.ts', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('/admin/')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`controller exited with ${code}: ${out}`)));
    });
    const lock = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(child.pid);
    await expect(startController({ dataDir })).rejects.toThrow(/in use by a running Gongshi controller \(pid \d+/);
    // SIGKILL lands when the kernel next schedules the process: wait until it is gone (a zombie is covered below).
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const t = await startController({ dataDir });
    cleanup.push(() => t.stop());
    expect(t.logs.some((l) => l.message.includes('taking over a stale lock'))).toBe(true);
  }, 90_000);

  it('counts a zombie (dead, never reaped by its parent) as gone', async () => {
    // The forked child exits at once and its parent never waits for it, so it stays a zombie. Perl (perl-base is
    // essential on Debian) because a shell may reap its background job before it execs the sleeping parent.
    const parent = spawn('perl', ['-e', '$| = 1; my $pid = fork(); exit 0 if $pid == 0; print "$pid\n"; sleep 60;'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanup.push(() => Promise.resolve(void parent.kill('SIGKILL')));
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))));
    // Wait (up to 30 s on a loaded machine) until the kernel shows it as a zombie; it cannot vanish, its parent never reaps it.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stat = await readFile(`/proc/${zombie}/stat`, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new Error(`process ${zombie} was reaped before it could be seen as a zombie`);
        throw error;
      });
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) break;
      if (Date.now() > deadline) throw new Error(`process ${zombie} did not become a zombie within 30 s: ${stat}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(() => process.kill(zombie, 0)).not.toThrow();
    const dataDir = await makeDataDir();
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    await writeFile(
      path.join(dataDir, LOCK_FILE),
      JSON.stringify({ pid: zombie, host: os.hostname(), bootId: null, startedAt: Date.now(), token: 'z' }),
    );
    expect(await inspectLock(dataDir)).toMatchObject({ state: 'stale', why: `process ${zombie} is not running` });
  }, 60_000);
});
