/**
 * `npm run soak [-- --days 7 --minutes 30 --kiosks 200 --signs 20 --card-minutes 10 --notices-per-day 24 --out file.json --snapshots dir]`
 *
 * A week of simulated time, accelerated: the controller runs in this process
 * on an injected clock that runs `days × 1440 / minutes` times faster than the
 * wall clock, with 20 emulated LED signs on in-memory serial lines (rebooted at
 * random), while a child process (load-child.ts) plays 200 kiosks, two staff
 * browsers and the staff's notice work. Every simulated hour this process
 * samples itself: heap after a full GC (run with --expose-gc), open handles,
 * event-loop lag and the ledger's size. At the end: a table, a verdict
 * (report.ts) and the ledger verified offline. Not in CI: it takes as long as
 * `--minutes` says.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { loadConfig } from '../../controller/config.js';
import { SignEmulator } from '../../controller/led/emulator/signEmulator.js';
import { createEmulatorBinding } from '../../controller/led/emulator/memoryBinding.js';
import { createLogger } from '../../controller/logger.js';
import { createController, packageRoot } from '../../controller/main.js';
import { verifyLedger } from '../../controller/store/verify.js';
import { type SimTime, acceleratedClock, realMs } from './clock.js';
import type { LoadConfig, LoadStats } from './load-child.js';
import { type Sample, table, verdict } from './report.js';
import { Session } from './staff.js';
import { SOAK_STAFF, soakSigns, writeSoakTown } from './town.js';

const HOUR = 3_600_000;
/**
 * Frames each emulated sign keeps for `frameLog()`, which the soak never reads. The emulators are the harness, yet
 * they live on the measured heap: at the emulator's default of 500 frames, 20 signs fill their logs (~6 MB) over five
 * simulated days, which read as controller growth. 50 fill within the warm-up day.
 */
const SIGN_LOG_FRAMES = 50;
const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '7' },
    minutes: { type: 'string', default: '30' },
    kiosks: { type: 'string', default: '200' },
    signs: { type: 'string', default: '20' },
    /** Simulated minutes each kiosk card stays (one receipt per card): the load's main dial. */
    'card-minutes': { type: 'string', default: '10' },
    /** Notices the staff publish a simulated day (each with a chance of a correction, a withdrawal or an emergency). */
    'notices-per-day': { type: 'string', default: '24' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    /** Writes a heap snapshot here after the first simulated day and at the end, to diff what grew. */
    snapshots: { type: 'string' },
  },
});
const days = Number(args.days);
const minutes = Number(args.minutes);
const kioskCount = Number(args.kiosks);
const signCount = Number(args.signs);
for (const name of ['days', 'minutes', 'kiosks', 'signs', 'card-minutes', 'notices-per-day'] as const) {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0, got ${JSON.stringify(args[name])}`);
}
const gc = (globalThis as { gc?: () => void }).gc;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function ledgerBytes(dataDir: string): Promise<number> {
  const dir = path.join(dataDir, 'ledger');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

function ask(child: ChildProcess, type: 'stats' | 'stop', answer: string): Promise<LoadStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load process did not answer ${type}`)), 30_000);
    const on = (m: { type: string; stats: LoadStats }) => {
      if (m.type !== answer) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m.stats);
    };
    child.on('message', on);
    child.send({ type });
  });
}

async function main(): Promise<void> {
  if (!gc) log('warning: run with --expose-gc (npm run soak does) or heap figures include garbage');
  const time: SimTime = { simStart: Date.now(), realStart: Date.now(), speed: (days * 1440) / minutes };
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-soak-'));
  const signDir = path.join(dataDir, 'serial');
  await mkdir(signDir);
  const signs = soakSigns(signCount, signDir);
  // The link checks that a port's path exists before opening it: give each in-memory line a file to stand for it.
  await Promise.all(signs.map((s) => writeFile(s.path, '')));
  const emulators = new Map(
    signs.map((s) => [
      s.path,
      new SignEmulator({ protocol: s.emulated, address: s.address, width: s.width, height: s.height, logLimit: SIGN_LOG_FRAMES }),
    ]),
  );
  await writeSoakTown(dataDir, { villages: 10, kiosks: kioskCount, signs, now: time.simStart });
  const problems: string[] = [];
  const logger = createLogger({
    level: 'warn',
    sink: (e) => {
      if (e.level === 'error' && problems.length < 20) problems.push(`${e.message} ${JSON.stringify(e.fields ?? {})}`.slice(0, 300));
    },
  });
  const config = loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--demo', 'off', '--log-level', 'warn'],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
  time.realStart = Date.now();
  const clock = acceleratedClock(time);
  const controller = await createController(config, {
    logger,
    clock,
    tuning: {
      expiryIntervalMs: 2_000,
      signs: { binding: createEmulatorBinding(emulators), healthIntervalMs: 5_000, eqRefreshMs: 10_000 },
    },
  });
  log(
    `soak: ${days} simulated day(s) in ${minutes} min (×${time.speed.toFixed(0)}), ${kioskCount} kiosks, ${signCount} signs, a card (receipt) every ${args['card-minutes']} simulated min per kiosk, ${args['notices-per-day']} notices a day, data ${dataDir}`,
  );

  const load: LoadConfig = {
    url: controller.url,
    time,
    kiosks: kioskCount,
    villages: 10,
    cardSimMs: Number(args['card-minutes']) * 60_000,
    heartbeatSimMs: 30 * 60_000,
    noticesPerDay: Number(args['notices-per-day']),
  };
  const child = fork(path.join(here, 'load-child.ts'), [JSON.stringify(load)], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'error') reject(new Error(`load process: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
  });
  const auditor = new Session(controller.url, SOAK_STAFF.reviewer);
  await auditor.login();

  // The histogram times a 10 ms timer: each value includes those 10 ms, which are taken off below.
  const LAG_RESOLUTION_MS = 10;
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const samples: Sample[] = [];
  let lastDisplayEvents = 0;
  const sample = async (simHour: number): Promise<void> => {
    gc?.();
    const memory = process.memoryUsage();
    const resources = process.getActiveResourcesInfo();
    const stats = await ask(child, 'stats', 'stats');
    const head = await auditor.call<{ seq: number }>('GET', '/api/ledger/checkpoint');
    const displayEvents = stats.adminEvents['displays:recorded'] ?? 0;
    samples.push({
      simHour,
      heapMb: memory.heapUsed / 1e6,
      rssMb: memory.rss / 1e6,
      handles: resources.length,
      sockets: resources.filter((r) => r === 'TCPSocketWrap').length,
      timers: resources.filter((r) => r === 'Timeout').length,
      lagMeanMs: Math.max(0, lag.mean / 1e6 - LAG_RESOLUTION_MS),
      lagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
      lagMaxMs: Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS),
      ledgerRecords: head.seq,
      ledgerBytes: await ledgerBytes(dataDir),
      acked: stats.acked,
      kiosksOnline: stats.connected,
      staffDisplayEvents: displayEvents - lastDisplayEvents,
    });
    lastDisplayEvents = displayEvents;
    lag.reset();
    const s = samples.at(-1)!;
    log(
      `  h${simHour}: heap ${s.heapMb.toFixed(1)} MB, handles ${s.handles}, lag p99 ${s.lagP99Ms.toFixed(1)} ms, ledger ${s.ledgerRecords} records, ${stats.connected}/${kioskCount} online, pending ${stats.pending}`,
    );
  };

  const hours = days * 24;
  const rebootEvery = realMs(time, 2 * HOUR);
  const reboots = setInterval(() => {
    const emulator = [...emulators.values()][Math.floor(Math.random() * emulators.size)];
    emulator?.reboot(Math.random() * 3_000);
  }, rebootEvery);
  for (let h = 0; h <= hours; h++) {
    const due = time.realStart + realMs(time, h * HOUR);
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    await sample(h);
    if (args.snapshots && (h === 24 || h === hours))
      log(`  heap snapshot: ${writeHeapSnapshot(path.join(args.snapshots, `soak-h${h}.heapsnapshot`))}`);
  }
  clearInterval(reboots);
  const final = await ask(child, 'stop', 'stopped');
  await controller.stop();
  lag.disable();
  const started = Date.now();
  const verified = await verifyLedger(dataDir);
  const verifyMs = Date.now() - started;

  const result = verdict(samples);
  log(`\n${table(samples, Math.max(1, Math.round(hours / 28)))}\n`);
  log(`load: ${JSON.stringify({ ...final, staffErrors: final.staffErrors.slice(0, 5) })}`);
  log(`ledger verify: ${verified.ok ? `ok, ${verified.records} records in ${verifyMs} ms` : JSON.stringify(verified)}`);
  if (problems.length > 0) log(`controller errors (${problems.length}): ${problems.join(' | ')}`);
  for (const line of result.lines) log(line);
  const pass = result.ok && verified.ok && final.rejected === 0 && final.quarantined === 0;
  log(`verdict: ${pass ? 'PASS' : 'FAIL'}`);
  if (args.out)
    await writeFile(args.out, `${JSON.stringify({ time, days, minutes, kioskCount, signCount, samples, final, result }, null, 2)}\n`);
  if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  process.exitCode = pass ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
