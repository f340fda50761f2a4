/**
 * Temporary files a crash left between write and rename are removed when a
 * real controller starts on the data directory; files with similar but
 * foreign names, or in directories Gongshi does not write durably, stay.
 */
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STALE_PARTIAL_MS } from '../../../controller/ops/strayTemp.js';
import { type TestController, makeDataDir, startController } from '../../helpers/controller.js';

let running: TestController | undefined;
afterEach(async () => {
  await running?.dispose();
  running = undefined;
});

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('temporary files left by a crash', () => {
  it('are removed at start and logged; foreign names, directories and fresh backups are kept', async () => {
    const dataDir = await makeDataDir();
    for (const dir of ['keys', 'aggregates', 'photos', 'backups', 'ledger']) await mkdir(path.join(dataDir, dir));
    const leftovers = [
      '.state.json.1a2b3c4d.tmp',
      '.signs.json.00ff00ff.tmp',
      'keys/.checkpoint-signing.key.9e8d7c6b.tmp',
      'aggregates/.snapshot.json.deadbeef.tmp',
      `photos/.${'a'.repeat(64)}.jpg.12345678.tmp`,
      'backups/.gongshi-backup-20261126T010203Z-seq12.tar.gz.abcdef01.partial',
    ];
    const foreign = [
      '.state.json.tmp', // no unique part
      'state.json.1a2b3c4d.tmp', // not hidden
      '.state.json.1A2B3C4D.tmp', // not our lower-case hex
      '.notes.1a2b3c.tmp', // too short
      '.state.json.1a2b3c4d.tmp.bak',
      'ledger/.segment.1a2b3c4d.tmp', // a directory no durable write uses
      'backups/.gongshi-backup-x-seq1.tar.gz.1a2b3c4d.tmp',
      'backups/.gongshi-backup-20261126T020304Z-seq13.tar.gz.0badf00d.partial', // fresh: maybe a backup running now
    ];
    for (const name of [...leftovers, ...foreign]) await writeFile(path.join(dataDir, name), 'x');
    // A directory with a matching name is not a file this code writes.
    await mkdir(path.join(dataDir, '.keep.json.1a2b3c4d.tmp'));
    const old = (Date.now() - STALE_PARTIAL_MS - 60_000) / 1000;
    await utimes(path.join(dataDir, leftovers.at(-1)!), old, old);

    running = await startController({ dataDir });

    for (const name of leftovers) expect(await exists(path.join(dataDir, name)), name).toBe(false);
    for (const name of foreign) expect(await exists(path.join(dataDir, name)), name).toBe(true);
    expect(await exists(path.join(dataDir, '.keep.json.1a2b3c4d.tmp'))).toBe(true);
    const removal = running.logs.find((e) => e.message.startsWith('removed 6 temporary file(s)'));
    expect(removal?.level).toBe('warn');
    for (const name of leftovers) expect(removal?.message).toContain(name);
    expect(
      running.logs.some((e) => e.message.includes('kept backups/.gongshi-backup-20261126T020304Z-seq13.tar.gz.0badf00d.partial')),
    ).toBe(true);
    // The controller runs on the directory as usual.
    expect(((await (await fetch(`${running.url}/api/health`)).json()) as { ok: boolean }).ok).toBe(true);
    expect((await readdir(dataDir)).filter((n) => n.endsWith('.tmp')).sort()).toEqual(
      ['.keep.json.1a2b3c4d.tmp', '.state.json.1A2B3C4D.tmp', '.state.json.tmp', '.notes.1a2b3c.tmp', 'state.json.1a2b3c4d.tmp'].sort(),
    );
  }, 60_000);

  it('starts a fresh data directory without any', async () => {
    const parent = await makeDataDir();
    const dataDir = path.join(parent, 'new');
    running = await startController({ dataDir });
    expect(running.logs.some((e) => e.message.includes('temporary file'))).toBe(false);
    await running.dispose();
    running = undefined;
    await rm(parent, { recursive: true, force: true });
  }, 60_000);
});
