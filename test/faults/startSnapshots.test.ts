/**
 * Fault: the start reads only what it has not folded (issue 12 point 12). A
 * real controller process on a data directory whose ledger has 20,000 kiosk
 * records more than its index snapshots (written by the fast generator while
 * it was stopped), and whose first ledger line is then made unreadable: every
 * start-up pass (the integrity check, the reconciliation, the aggregates, the
 * receipt and node record indexes) must begin after what it already holds, so
 * the spoiled line is never read. Started, killed with SIGKILL, started again
 * (snapshots behind the ledger); each start answers `/api/health`.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INDEXES_DIR } from '../../controller/store/indexSnapshot.js';
import { makeDataDir } from '../helpers/controller.js';
import { generateKioskRecords } from '../bench/ledgerGenerator.js';
import { type ControllerProcess, startControllerProcess } from './system/controllerProcess.js';

const dirs: string[] = [];
let running: ControllerProcess | null = null;

afterAll(async () => {
  await running?.kill9();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function healthy(c: ControllerProcess): Promise<number> {
  const res = await fetch(`${c.url}/api/health`);
  return res.status;
}

describe('start-up after a clean stop and after kill -9, with 20,000 records not yet in the snapshots', () => {
  it('never reads the ledger before its snapshots', { timeout: 300_000 }, async () => {
    const dataDir = await makeDataDir();
    dirs.push(dataDir);
    running = await startControllerProcess(dataDir);
    await running.stop();
    // The snapshots name the ledger's end now.
    expect((await readdir(path.join(dataDir, INDEXES_DIR))).sort()).toEqual(['node-records.json', 'receipts.json']);
    const generated = await generateKioskRecords({ dataDir, count: 20_000, kiosks: 20 });
    expect(generated.records).toBe(20_000);
    // Spoil the first line of the oldest segment (same length, no longer JSON): a pass that reads it fails the start.
    const [segment] = (await readdir(path.join(dataDir, 'ledger'))).filter((n) => n.endsWith('.jsonl')).sort();
    const file = path.join(dataDir, 'ledger', segment!);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 1).toString()).toBe('{');
    bytes[0] = '#'.charCodeAt(0);
    await writeFile(file, bytes);

    running = await startControllerProcess(dataDir);
    expect(await healthy(running)).toBe(200);
    await running.kill9();

    running = await startControllerProcess(dataDir);
    expect(await healthy(running)).toBe(200);
    await running.stop();
    expect(running.stderr()).not.toMatch(/rebuilding/);
    running = null;
  });
});
