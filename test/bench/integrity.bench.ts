/**
 * The ledger's integrity check at start (issue 14 point 4) on a 1,000,000-record ledger, next to the start it is
 * part of:
 *
 * 1. a restart: the controller started in-process on the data directory (as after a power cut: the state, the
 *    snapshots and `ledger-verified.json` from the start before), from `createController` to a `/api/health`
 *    answer; beside it the integrity check alone, incremental from the last verified record as that start runs
 *    it, so the ratio of start with the check to start without it is start ÷ (start − check);
 * 2. the whole-chain check, which runs once where there is no verified point (the first start on an existing
 *    ledger, a restored data directory), next to reading and parsing the same files without hashing.
 *
 * The start time itself is the `startup` benchmark's subject; this one only says what the check adds to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../controller/config.js';
import { createLogger } from '../../controller/logger.js';
import { createController, packageRoot } from '../../controller/main.js';
import { VERIFIED_FILE, createIntegrityCheck } from '../../controller/store/integrity.js';
import { createLedger } from '../../controller/store/ledger.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { generateYear } from './ledger.bench.js';
import { monotonicMs, summarise } from './stats.js';

export const name = 'integrity';

const logger = createLogger({ level: 'silent' });

async function startOnce(dataDir: string): Promise<number> {
  const config = loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'silent'],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
  const t0 = monotonicMs();
  const controller = await createController(config, { logger });
  const res = await fetch(`${controller.url}/api/health`);
  if (!res.ok) throw new Error(`health answered ${res.status}`);
  const ms = monotonicMs() - t0;
  await controller.stop();
  return ms;
}

async function readOnly(dataDir: string): Promise<void> {
  for (const file of (await readdir(path.join(dataDir, 'ledger'))).sort()) {
    const lines = createInterface({
      input: createReadStream(path.join(dataDir, 'ledger', file), 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) if (line !== '') JSON.parse(line);
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-integrity-'));
  try {
    const g0 = monotonicMs();
    await generateYear(dataDir, total, options.log);
    options.log(`  generated ${total.toLocaleString('en-US')} records in ${((monotonicMs() - g0) / 1000).toFixed(1)} s`);
    const load0 = os.loadavg()[0] ?? 0;

    // The first start folds the ledger, writes its snapshots and checks the whole chain once; not measured here.
    const first = await startOnce(dataDir);
    options.log(`  first start (whole chain checked, everything folded): ${(first / 1000).toFixed(1)} s`);
    const rounds = options.quick ? 2 : 5;
    const startMs: number[] = [];
    for (let i = 0; i < rounds; i++) startMs.push(await startOnce(dataDir));

    const ledger = createLedger({ dataDir, logger, now: Date.now });
    await ledger.start();
    const integrity = () => createIntegrityCheck({ dataDir, ledger, now: Date.now, logger });
    const incrementalMs: number[] = [];
    for (let i = 0; i < Math.max(rounds, 5); i++) {
      const t0 = monotonicMs();
      const status = await integrity().check();
      incrementalMs.push(monotonicMs() - t0);
      if (status.status !== 'ok') throw new Error(`the generated ledger does not check: ${JSON.stringify(status)}`);
    }
    const wholeMs: number[] = [];
    const readMs: number[] = [];
    let recordsRead = 0;
    for (let i = 0; i < (options.quick ? 1 : 2); i++) {
      await rm(path.join(dataDir, VERIFIED_FILE), { force: true });
      const t0 = monotonicMs();
      const status = await integrity().check();
      wholeMs.push(monotonicMs() - t0);
      if (status.status !== 'ok') throw new Error(`the generated ledger does not check: ${JSON.stringify(status)}`);
      recordsRead = status.recordsRead;
      const r0 = monotonicMs();
      await readOnly(dataDir);
      readMs.push(monotonicMs() - r0);
    }
    await ledger.stop();

    const start = summarise(startMs);
    const check = summarise(incrementalMs);
    const withoutP50 = Math.max(1, start.p50 - check.p50);
    return [
      {
        benchmark: 'restart with the integrity check (incremental)',
        n: total,
        rounds: startMs.length,
        payloadBytes: 0,
        measured: start,
        baseline: {
          name: 'the same start without the check: start − the incremental check',
          p50: withoutP50,
          p99: Math.max(1, start.p99 - check.p50),
        },
        notes: [
          `incremental check alone (from the last verified record): p50 ${check.p50.toFixed(1)} ms, p99 ${check.p99.toFixed(1)} ms`,
          `start with the check ÷ start without it: ${(start.p50 / withoutP50).toFixed(3)}× at p50`,
          `first start (whole chain checked once, everything folded, snapshots written): ${(first / 1000).toFixed(1)} s; load average ${load0.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
        ],
      },
      {
        benchmark: 'whole-chain integrity check (no verified point)',
        n: recordsRead,
        rounds: wholeMs.length,
        payloadBytes: 0,
        measured: summarise(wholeMs),
        baseline: { name: 'read + JSON.parse the same files, no hashing', ...summarise(readMs) },
        notes: ['runs once: the first start on an existing ledger, or after a restore; every later start checks from the verified point'],
      },
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
