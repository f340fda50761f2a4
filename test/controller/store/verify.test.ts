/** Tampering with any line of the ledger is detected, at the first broken record. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { createLedger, segmentName } from '../../../controller/store/ledger.js';
import { verifyLedger } from '../../../controller/store/verify.js';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-verify-'));
  file = path.join(dir, 'ledger', segmentName(NOW));
  const ledger = createLedger({ dataDir: dir, logger: createLogger({ level: 'silent' }), now: () => NOW });
  await ledger.start();
  for (let i = 1; i <= 5; i++) await ledger.append([{ type: 'display.kiosk', n: i, noticeId: `n${i}` }]);
  await ledger.stop();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}
async function save(next: string[]): Promise<void> {
  await writeFile(file, `${next.join('\n')}\n`);
}

describe('verifyLedger', () => {
  it('accepts an intact ledger and returns a checkpoint', async () => {
    const result = await verifyLedger(dir, () => NOW);
    expect(result).toMatchObject({ ok: true, records: 5, checkpoint: { seq: 5, at: NOW } });
    if (result.ok) expect(result.checkpoint.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects a record re-encoded with the same content (keys reordered), and says so', async () => {
    const l = await lines();
    const record = JSON.parse(l[1]!) as Record<string, unknown>;
    l[1] = JSON.stringify(Object.fromEntries(Object.entries(record).reverse()));
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({
      ok: false,
      records: 1,
      firstBroken: { line: 2, seq: 2, reason: expect.stringContaining('re-encoded') },
    });
  });

  it('detects an inserted blank line', async () => {
    const l = await lines();
    l.splice(3, 0, '');
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, records: 3, firstBroken: { line: 4, reason: 'not a JSON record' } });
  });

  it('detects an edited record', async () => {
    const l = await lines();
    l[2] = l[2]!.replace('"n":3', '"n":33');
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({
      ok: false,
      records: 2,
      firstBroken: { line: 3, seq: 3, reason: expect.stringContaining('edited') },
    });
  });

  it('detects a deleted record', async () => {
    const l = await lines();
    l.splice(1, 1);
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, firstBroken: { line: 2, seq: 3 } });
  });

  it('detects a deleted last record only against a kept checkpoint', async () => {
    const before = await verifyLedger(dir);
    const l = await lines();
    await save(l.slice(0, -1));
    const after = await verifyLedger(dir);
    // The chain that remains is valid; the auditor's checkpoint (seq 5) shows the loss.
    expect(after).toMatchObject({ ok: true, records: 4 });
    expect(before.ok && after.ok && after.checkpoint.seq < before.checkpoint.seq).toBe(true);
  });

  it('detects reordered records', async () => {
    const l = await lines();
    [l[1], l[2]] = [l[2]!, l[1]!];
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, firstBroken: { line: 2, seq: 3 } });
  });

  it('detects an inserted record, even one with a recomputed hash', async () => {
    const l = await lines();
    const forged = { ...JSON.parse(l[1]!), n: 99 };
    l.splice(2, 0, JSON.stringify(forged));
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, firstBroken: { line: 3 } });
  });

  it('reports garbage as such', async () => {
    const l = await lines();
    l[0] = 'not json';
    await save(l);
    expect(await verifyLedger(dir)).toMatchObject({
      ok: false,
      records: 0,
      firstBroken: { line: 1, seq: null, reason: 'not a JSON record' },
    });
  });

  it('runs as npm run ledger:verify, exiting 1 on a broken chain', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'controller/tools/ledger-verify.ts', '--data', dir], { cwd: root, encoding: 'utf8' });
    const intact = run();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/ledger intact: 5 records[\s\S]*checkpoint: seq 5 head [0-9a-f]{64}/);
    const l = await lines();
    l[4] = l[4]!.replace('"n":5', '"n":6');
    await save(l);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at .* line 5 \(seq 5\)/);
  });
});
