/**
 * Restore refuses what it should, with a clear message, and changes nothing
 * when it does: a damaged archive, a member that does not match the manifest,
 * a manifest and ledger changed together, a non-empty directory without
 * --force, a directory a running controller holds.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupManifest, MANIFEST_NAME, createBackup } from '../../../controller/ops/backup.js';
import { LOCK_FILE } from '../../../controller/ops/lock.js';
import { restoreBackup } from '../../../controller/ops/restore.js';
import { sha256Hex } from '../../../controller/domain/canonical.js';
import { makeDataDir, startController } from '../../helpers/controller.js';
import { readArchive, writeArchive } from './archive.js';
import { runTool } from './cli.js';

let work = '';
let good = '';
let ledgerName = '';

beforeAll(async () => {
  work = await makeDataDir();
  const t = await startController();
  await t.stop();
  good = (await createBackup({ dataDir: t.dataDir, out: path.join(work, 'good.tar.gz'), gongshiVersion: 'test' })).file;
  await rm(t.dataDir, { recursive: true, force: true });
  ledgerName = (await readArchive(good)).names.find((n) => n.startsWith('ledger/')) ?? '';
}, 60_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Everything under `dir`, with contents: to prove a refused restore changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) {
      const full = path.join(name.parentPath, name.name);
      out[path.relative(dir, full)] = await readFile(full, 'utf8');
    }
  }
  return out;
}

/** Sibling entries the restore might leave behind (temporary directories). */
async function siblings(dir: string): Promise<string[]> {
  return (await readdir(path.dirname(dir))).filter((n) => n.startsWith(`.${path.basename(dir)}.restore-`));
}

describe('restore refuses a bad archive and changes nothing', () => {
  it('a damaged gzip (one byte flipped)', async () => {
    const bytes = await readFile(good);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const damaged = path.join(work, 'damaged.tar.gz');
    await writeFile(damaged, bytes);
    const target = path.join(work, 'restore-damaged');
    const result = await runTool('restore', [damaged, '--data', target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/恢复未执行/);
    expect(result.stderr).toMatch(/damaged|does not match|broken/);
    await expect(readdir(target)).rejects.toThrow(/ENOENT/);
    expect(await siblings(target)).toEqual([]);
  }, 60_000);

  it('a ledger segment edited inside a well-formed archive: names the file', async () => {
    const { files } = await readArchive(good);
    const text = files.get(ledgerName)?.toString('utf8') ?? '';
    files.set(ledgerName, Buffer.from(text.replace('"type":"', '"type":"x'), 'utf8'));
    const edited = path.join(work, 'edited.tar.gz');
    await writeArchive(edited, files);
    const target = path.join(work, 'restore-edited');
    await expect(restoreBackup({ archive: edited, dataDir: target })).rejects.toThrow(
      new RegExp(`${ledgerName} does not match the manifest.*校验失败`),
    );
    await expect(readdir(target)).rejects.toThrow(/ENOENT/);
    expect(await siblings(target)).toEqual([]);
  });

  it('a ledger record edited and the manifest rewritten to match: the chain check catches it', async () => {
    const { files, manifest } = await readArchive(good);
    const text = files.get(ledgerName)?.toString('utf8') ?? '';
    const changed = Buffer.from(text.replace('"type":"', '"type":"x'), 'utf8');
    files.set(ledgerName, changed);
    const forged: BackupManifest = {
      ...manifest,
      files: manifest.files.map((f) =>
        f.path === ledgerName ? { ...f, bytes: changed.length, sha256: sha256Hex(changed.toString('utf8')) } : f,
      ),
    };
    files.delete(MANIFEST_NAME);
    files.set(MANIFEST_NAME, Buffer.from(JSON.stringify(forged)));
    const archive = path.join(work, 'forged.tar.gz');
    await writeArchive(archive, files);
    const target = path.join(work, 'restore-forged');
    await expect(restoreBackup({ archive, dataDir: target })).rejects.toThrow(
      /ledger in the backup is broken at .* line 1 .*record was edited/,
    );
    await expect(readdir(target)).rejects.toThrow(/ENOENT/);
  });

  it('an archive without a manifest, or with a path outside the data directory', async () => {
    const { files } = await readArchive(good);
    files.delete(MANIFEST_NAME);
    const bare = path.join(work, 'bare.tar.gz');
    await writeArchive(bare, files);
    await expect(restoreBackup({ archive: bare, dataDir: path.join(work, 'r1') })).rejects.toThrow(/not a Gongshi backup/);
    const evil = path.join(work, 'evil.tar.gz');
    await writeArchive(evil, new Map([['../escape.txt', Buffer.from('x')]]));
    await expect(restoreBackup({ archive: evil, dataDir: path.join(work, 'r2') })).rejects.toThrow(/unsafe path/);
    await expect(readFile(path.join(work, 'escape.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('a non-empty directory without --force; with --force the old one is kept beside it', async () => {
    const target = path.join(work, 'occupied');
    await mkdir(target);
    await writeFile(path.join(target, 'state.json'), '{"schemaVersion":2,"mine":true}');
    const before = await snapshot(target);
    const refused = await runTool('restore', [good, '--data', target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not empty; pass --force');
    expect(refused.stderr).toContain('目标数据目录非空');
    expect(await snapshot(target)).toEqual(before);

    const forced = await restoreBackup({ archive: good, dataDir: target, force: true });
    expect(forced.movedAside).toMatch(/occupied\.before-restore-/);
    expect(await snapshot(forced.movedAside ?? '')).toEqual(before);
    expect(JSON.parse(await readFile(path.join(target, 'state.json'), 'utf8'))).toMatchObject({ schemaVersion: 2 });
  });

  it('a directory a running controller holds, even with --force', async () => {
    const target = path.join(work, 'held');
    await mkdir(target);
    await writeFile(path.join(target, 'state.json'), '{}');
    // This test process is alive, so its pid makes the lock held.
    await writeFile(
      path.join(target, LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: os.hostname(), bootId: null, startedAt: Date.now(), token: 't' }),
    );
    const before = await snapshot(target);
    const result = await runTool('restore', [good, '--data', target, '--force']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`(pid ${process.pid} on ${os.hostname()}) is running on ${target}`);
    expect(result.stderr).toContain('请先停止');
    expect(await snapshot(target)).toEqual(before);
  }, 60_000);
});
