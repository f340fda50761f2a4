/**
 * Start-up at 1,000,000 ledger records (issue 12 point 12): from spawning the
 * built controller process (`node dist/controller/main.js`, as `npm start`
 * runs it; the benchmark builds it first with `tsc -b tsconfig.controller.json`)
 * to the first 200 from `/api/health`, next to the same on a data directory
 * whose ledger is empty but for the first start's records. Rounds alternate
 * between the two directories, so both see the same background load.
 *
 * The big ledger is written by the fast generator (ledgerGenerator.ts), not
 * through the API. Its first start then has no index snapshots that reach it
 * (they were taken before the generator ran): that start reads the million
 * records once and is reported apart; the measured starts follow a clean stop
 * or a kill -9.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchResult } from './bench.js';
import { generateKioskRecords } from './ledgerGenerator.js';
import { monotonicMs, sleep, summarise } from './stats.js';

export const name = 'start';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  ms: number;
  /** CPU time (user + system) the controller process had used when it first answered: the load on a shared machine stretches `ms`, not this. */
  cpuMs: number;
  port: number;
}

/** A process's user + system time so far, from /proc (Linux; NaN elsewhere). */
async function cpuMsOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Spawns the controller on `dataDir` and times it to its first healthy answer. */
export async function startController(dataDir: string, webDir: string, timeoutMs = 120_000): Promise<Started> {
  const port = await freePort();
  const t0 = monotonicMs();
  const child = spawn(process.execPath, ['dist/controller/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      GONGSHI_HOST: '127.0.0.1',
      GONGSHI_DATA_DIR: dataDir,
      GONGSHI_DEMO: 'off',
      GONGSHI_LOG_LEVEL: 'warn',
      GONGSHI_WEB_DIR: webDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (;;) {
    if (exited !== null) throw new Error(`the controller exited (${String(exited)}) before it answered: ${stderr}`);
    if (monotonicMs() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the controller did not answer /api/health within ${timeoutMs} ms: ${stderr}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, ms: monotonicMs() - t0, cpuMs: await cpuMsOf(child.pid), port };
    await sleep(10);
  }
}

/** SIGTERM (a clean stop: snapshots written) or SIGKILL, then waits for the exit. */
export async function stopController(started: Started, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const gone = new Promise<void>((resolve) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) resolve();
    else started.child.once('exit', () => resolve());
  });
  started.child.kill(signal);
  await gone;
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const rounds = options.quick ? 2 : 5;
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'tsconfig.controller.json'], { cwd: ROOT, stdio: 'inherit' });
  const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-start-'));
  try {
    const webDir = path.join(work, 'web');
    await mkdir(webDir);
    const empty = path.join(work, 'empty');
    const big = path.join(work, 'big');
    // First starts: the town's state and first records, then the big one gets its million.
    for (const dir of [empty, big]) await stopController(await startController(dir, webDir), 'SIGTERM');
    const t0 = monotonicMs();
    const generated = await generateKioskRecords({ dataDir: big, count: total, log: options.log });
    const generateS = (monotonicMs() - t0) / 1000;
    options.log(`  generated ${generated.records.toLocaleString('en-US')} records in ${generateS.toFixed(1)} s`);
    const first = await startController(big, webDir, 900_000);
    options.log(
      `  first start over the generated records (no snapshot reaches them): ${(first.ms / 1000).toFixed(2)} s (cpu ${first.cpuMs} ms)`,
    );
    await stopController(first, 'SIGTERM');

    const emptyMs: number[] = [];
    const bigMs: number[] = [];
    const killedMs: number[] = [];
    const emptyCpu: number[] = [];
    const bigCpu: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const e = await startController(empty, webDir);
      emptyMs.push(e.ms);
      emptyCpu.push(e.cpuMs);
      await stopController(e, 'SIGTERM');
      const b = await startController(big, webDir);
      bigMs.push(b.ms);
      bigCpu.push(b.cpuMs);
      // Killed, not stopped: the next start has only the snapshots taken while running (here, at the last clean stop).
      await stopController(b, 'SIGKILL');
      const k = await startController(big, webDir);
      killedMs.push(k.ms);
      await stopController(k, 'SIGTERM');
      options.log(
        `  round ${round + 1}/${rounds}: empty ${e.ms.toFixed(0)} ms (cpu ${e.cpuMs} ms), ${total.toLocaleString('en-US')} records ${b.ms.toFixed(0)} ms (cpu ${b.cpuMs} ms), after kill -9 ${k.ms.toFixed(0)} ms`,
      );
    }
    const measured = summarise(bigMs);
    const baseline = summarise(emptyMs);
    const killed = summarise(killedMs);
    const cpu = { big: summarise(bigCpu), empty: summarise(emptyCpu) };
    return [
      {
        benchmark: 'start to /api/health',
        n: total,
        rounds,
        payloadBytes: 0,
        measured,
        baseline: { ...baseline, name: 'empty ledger' },
        notes: [
          `start ÷ empty-ledger start, p50: ${(measured.p50 / baseline.p50).toFixed(2)}× (${(measured.p50 / 1000).toFixed(2)} s vs ${(baseline.p50 / 1000).toFixed(2)} s; target < 2 s)`,
          `CPU time of the controller process to its first answer, p50: ${(cpu.big.p50 / 1000).toFixed(2)} s vs ${(cpu.empty.p50 / 1000).toFixed(2)} s empty (${(cpu.big.p50 / cpu.empty.p50).toFixed(2)}×): what the start costs, whatever else the machine runs`,
          `after a kill -9: p50 ${(killed.p50 / 1000).toFixed(2)} s, p99 ${(killed.p99 / 1000).toFixed(2)} s (${(killed.p50 / baseline.p50).toFixed(2)}×)`,
          `first start over ${total.toLocaleString('en-US')} generated records (no snapshot reaches them, read once): ${(first.ms / 1000).toFixed(2)} s; generating them took ${generateS.toFixed(1)} s`,
        ],
      },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
