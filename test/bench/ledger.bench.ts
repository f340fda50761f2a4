/**
 * The disclosure ledger at volume, each next to a baseline from the same run:
 *
 * 1. durable appends with group commit and chaining (500 senders, 10 receipts
 *    per report, each acknowledged only after its fdatasync), next to the
 *    lowdb write path (the same records pushed into a lowdb file written
 *    durably per update, as state.json is) for a fixed time;
 * 2. `ledger:verify` over a year of 1,000,000 records (20 villages), next to
 *    reading and parsing the same files without hashing;
 * 3. the annual report from the aggregates of that year, next to folding the
 *    aggregates from the ledger files (what a report would cost without them).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Low } from 'lowdb';
import { createLogger } from '../../controller/logger.js';
import { type NoticeContent, createHolidayCalendar } from '../../controller/protocol/index.js';
import { type Aggregates, rebuildAggregates } from '../../controller/reports/projection/aggregates.js';
import { buildAnnualReport } from '../../controller/reports/compute/annual.js';
import { sumCells } from '../../controller/reports/projection/cells.js';
import { type CellReportInputs, type NoticeMeta, villageChecks } from '../../controller/reports/compute/statistics.js';
import { DurableJsonFile } from '../../controller/store/durableFile.js';
import { type AnyEntry, createLedger } from '../../controller/store/ledger.js';
import { verifyLedger } from '../../controller/store/verify.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { monotonicMs, summarise } from './stats.js';

export const name = 'ledger';

const logger = createLogger({ level: 'silent' });
const HASH = 'c'.repeat(64);

function receipt(deviceId: string, villageId: string, noticeId: string, startedAt: number): AnyEntry {
  return {
    type: 'display.kiosk',
    receiptId: randomUUID(),
    receiptSeq: 1,
    clockTrusted: true,
    noticeId,
    contentHash: HASH,
    startedAt,
    endedAt: startedAt + 30_000,
    deviceId,
    villageId,
  };
}

async function appendBench(options: BenchOptions): Promise<BenchResult> {
  const total = options.quick ? 50_000 : 200_000;
  const senders = 500;
  const perReport = 10;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-ledger-'));
  try {
    const ledger = createLedger({ dataDir: dir, logger, now: Date.now });
    await ledger.start();
    const latencies: number[] = [];
    let sent = 0;
    const load0 = os.loadavg()[0] ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = monotonicMs();
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        while (sent < total) {
          sent += perReport;
          const batch = Array.from({ length: perReport }, () => receipt(`k${s % 40}`, `v${s % 20}`, `n${s % 300}`, Date.now()));
          const start = monotonicMs();
          await ledger.append(batch);
          latencies.push(monotonicMs() - start);
        }
      }),
    );
    const seconds = (monotonicMs() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const load1 = os.loadavg()[0] ?? 0;
    const records = ledger.head().seq;
    await ledger.stop();

    // Baseline: the lowdb write path, each report one update written durably (whole file), for the same kind of records.
    const low = new Low<{ records: AnyEntry[] }>(new DurableJsonFile(path.join(dir, 'low.json')), { records: [] });
    const lowLatencies: number[] = [];
    const budgetMs = options.quick ? 3_000 : 10_000;
    const l0 = monotonicMs();
    let queue: Promise<void> = Promise.resolve();
    let lowRecords = 0;
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        while (monotonicMs() - l0 < budgetMs) {
          const batch = Array.from({ length: perReport }, () => receipt(`k${s % 40}`, `v${s % 20}`, `n${s % 300}`, Date.now()));
          const start = monotonicMs();
          const write = queue.then(async () => {
            low.data.records.push(...batch);
            await low.write();
            lowRecords += batch.length;
          });
          queue = write;
          await write;
          lowLatencies.push(monotonicMs() - start);
        }
      }),
    );
    const lowSeconds = (monotonicMs() - l0) / 1000;
    const rate = records / seconds;
    const lowRate = lowRecords / lowSeconds;
    return {
      benchmark: 'durable append, group commit (ack latency)',
      n: records,
      rounds: latencies.length,
      payloadBytes: Buffer.byteLength(JSON.stringify(receipt('k1', 'v1', 'n1', Date.now()))),
      measured: summarise(latencies),
      baseline: { name: 'lowdb write per report (whole file, fsync), same senders, fixed time', ...summarise(lowLatencies) },
      notes: [
        `ledger: ${Math.round(rate).toLocaleString('en-US')} records/s durable (${records.toLocaleString('en-US')} records in ${seconds.toFixed(2)} s; ${senders} senders × ${perReport} receipts per report; target ≥ 50,000/s)`,
        `appends: ${(((cpu.user + cpu.system) / records) | 0).toLocaleString('en-US')} µs of CPU per record (the whole process: senders building receipts, encoding, hashing, writing); load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
        `lowdb write path: ${Math.round(lowRate).toLocaleString('en-US')} records/s (${lowRecords.toLocaleString('en-US')} records in ${lowSeconds.toFixed(1)} s, getting slower as the file grows)`,
        `ratio: ${(rate / Math.max(lowRate, 1e-9)).toFixed(0)}× the lowdb write path`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const VILLAGES = 20;
const DEVICES_PER_VILLAGE = 3;
const YEAR = 2025;

function content(i: number): NoticeContent {
  const villageId = `v${i % VILLAGES}`;
  return {
    title: `公告${i}`,
    body: '正文',
    ledText: '正文',
    category: i % 5 === 0 ? 'v-finance' : 'v-affairs',
    keyAreas: i % 7 === 0 ? ['扶贫'] : [],
    docNumber: null,
    issuer: '彪角镇人民政府',
    formedOn: `${YEAR}-01-01`,
    target: i % 10 === 0 ? { scope: 'town' } : { scope: 'villages', villageIds: [villageId] },
    posting: { start: `${YEAR}-01-01`, rule: { kind: 'calendar_days', days: 14 } },
    priority: 0,
    emergency: null,
    retention: '10y',
  };
}

/** A year of 20 villages: ~1,000 notices, each approved then shown on its villages' kiosks for two weeks, with interactions. */
export async function generateYear(dir: string, total: number, log: (m: string) => void): Promise<Map<string, NoticeMeta>> {
  let now = Date.UTC(YEAR - 1, 11, 31, 17);
  const ledger = createLedger({ dataDir: dir, logger, now: () => now });
  await ledger.start();
  const perDay = Math.ceil(total / 365);
  const notices = new Map<string, NoticeMeta>();
  let written = 0;
  for (let day = 0; day < 365 && written < total; day++) {
    now = Date.UTC(YEAR, 0, 1 + day, 2);
    const entries: AnyEntry[] = [];
    for (let k = 0; k < 3; k++) {
      const i = day * 3 + k;
      const id = `n${i}`;
      notices.set(id, { id, title: `公告${i}`, content: { ...content(i), formedOn: new Date(now).toISOString().slice(0, 10) } });
      entries.push({ type: 'notice.approved', noticeId: id, contentHash: HASH, actorId: 'u-r' });
    }
    for (let r = 0; r < perDay - 3 && written + entries.length < total; r++) {
      const notice = `n${Math.max(0, day * 3 - (r % 40))}`;
      const village = r % VILLAGES;
      const device = `k${village}-${r % DEVICES_PER_VILLAGE}`;
      const at = now + r * 20_000;
      entries.push(
        r % 8 === 0
          ? {
              type: r % 16 === 0 ? 'interaction.rated' : 'interaction.opened',
              noticeId: notice,
              contentHash: HASH,
              at,
              rating: (r % 5) + 1,
              deviceId: device,
              villageId: `v${village}`,
            }
          : receipt(device, `v${village}`, notice, at),
      );
    }
    await ledger.append(entries);
    written += entries.length;
    if (day % 60 === 0) log(`  generating: day ${day}, ${written.toLocaleString('en-US')} records`);
  }
  await ledger.stop();
  return notices;
}

async function readOnly(dir: string): Promise<number> {
  let n = 0;
  for (const file of (await readdir(path.join(dir, 'ledger'))).sort()) {
    const lines = createInterface({ input: createReadStream(path.join(dir, 'ledger', file), 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) if (line !== '') n += (JSON.parse(line) as { seq: number }).seq > 0 ? 1 : 0;
  }
  return n;
}

async function yearBenches(options: BenchOptions): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-year-'));
  try {
    const g0 = monotonicMs();
    const notices = await generateYear(dir, total, options.log);
    options.log(`  generated ${total.toLocaleString('en-US')} records in ${((monotonicMs() - g0) / 1000).toFixed(1)} s`);
    const rounds = options.quick ? 1 : 3;

    const verifyMs: number[] = [];
    const verifyCpuMs: number[] = [];
    const readMs: number[] = [];
    let records = 0;
    const load0 = os.loadavg()[0] ?? 0;
    for (let i = 0; i < rounds; i++) {
      const v0 = monotonicMs();
      const cpu0 = process.cpuUsage();
      const result = await verifyLedger(dir);
      verifyMs.push(monotonicMs() - v0);
      const cpu = process.cpuUsage(cpu0);
      verifyCpuMs.push((cpu.user + cpu.system) / 1000);
      if (!result.ok) throw new Error(`generated ledger does not verify: ${JSON.stringify(result.firstBroken)}`);
      records = result.records;
      const r0 = monotonicMs();
      await readOnly(dir);
      readMs.push(monotonicMs() - r0);
    }

    const ledger = createLedger({ dataDir: dir, logger, now: Date.now });
    await ledger.start();
    const foldMs: number[] = [];
    let agg: Aggregates | null = null;
    for (let i = 0; i < rounds; i++) {
      const f0 = monotonicMs();
      agg = await rebuildAggregates(ledger.records());
      foldMs.push(monotonicMs() - f0);
    }
    await ledger.stop();
    if (!agg) throw new Error('no aggregates');
    const devices = new Map<string, { kind: string; villageId: string }>();
    for (let v = 0; v < VILLAGES; v++)
      for (let d = 0; d < DEVICES_PER_VILLAGE; d++) devices.set(`k${v}-${d}`, { kind: 'kiosk', villageId: `v${v}` });
    const input: CellReportInputs = {
      agg,
      cells: sumCells(agg.cells.values(), `${YEAR}-01-01`, `${YEAR}-12-31`),
      notices,
      villages: Array.from({ length: VILLAGES }, (_, v) => ({ id: `v${v}`, name: `村${v}` })),
      devices,
      calendar: createHolidayCalendar(),
      today: `${YEAR + 1}-01-15`,
    };
    const reportMs: number[] = [];
    const checksMs: number[] = [];
    let figures = '';
    for (let i = 0; i < Math.max(rounds, 5); i++) {
      const a0 = monotonicMs();
      const report = buildAnnualReport(input, { year: YEAR, version: 'V2021', town: '彪角镇', issuer: '彪角镇人民政府' });
      reportMs.push(monotonicMs() - a0);
      const c0 = monotonicMs();
      villageChecks(input, `${YEAR}-01-01`, `${YEAR}-12-31`);
      checksMs.push(monotonicMs() - c0);
      figures = `${report.figures.total} items, ${agg.cells.size.toLocaleString('en-US')} cells, valid: ${report.invalid.length === 0}`;
    }
    const segmentBytes = await stat(path.join(dir, 'ledger', `${YEAR}-06.jsonl`))
      .then((s) => s.size)
      .catch(() => 0);
    return [
      {
        benchmark: 'ledger:verify, a year of 20 villages',
        n: records,
        rounds,
        payloadBytes: Math.round((segmentBytes * 12) / records),
        measured: summarise(verifyMs),
        baseline: { name: 'read + JSON.parse the same files, no hashing', ...summarise(readMs) },
        notes: [
          `verify: ${((records / (summarise(verifyMs).p50 / 1000)) | 0).toLocaleString('en-US')} records/s (target: 1,000,000 in under 5 s); segments checked in one worker thread per core (${os.availableParallelism()})`,
          `verify CPU (all threads): p50 ${(summarise(verifyCpuMs).p50 / 1000).toFixed(2)} s, ${((summarise(verifyCpuMs).p50 * 1000) / records).toFixed(2)} µs per record; load average ${load0.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
        ],
      },
      {
        benchmark: 'annual report from aggregates',
        n: records,
        rounds: reportMs.length,
        payloadBytes: 0,
        measured: summarise(reportMs),
        baseline: { name: 'fold the aggregates from the ledger files (what each report would cost without them)', ...summarise(foldMs) },
        notes: [
          `report: ${figures} (target under 2 s)`,
          `年考核 view (all villages, the year, with timeliness): p50 ${summarise(checksMs).p50.toFixed(0)} ms`,
          `folding ${records.toLocaleString('en-US')} records at start (no snapshot): p50 ${(summarise(foldMs).p50 / 1000).toFixed(2)} s`,
        ],
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  options.log(' appends: group commit vs the lowdb write path');
  const append = await appendBench(options);
  options.log(' a year of records: verify and the annual report');
  return [append, ...(await yearBenches(options))];
}
