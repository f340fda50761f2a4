/**
 * A village node's week offline, uploaded: 10 signs rotating five notices at
 * 10 s a card through their on-hours (07:00–21:00), 7 days = 352,800 cards
 * (`--quick`: one day, 50,400). The cards go through the node's own coalescer
 * (controller/node/displays.ts) into its outbox, as the running node writes
 * them: one record per sign, notice and period of the town's day, the last
 * card of each day ended by the sign switching off. The real node
 * (in-process) starts, its uplink connects to a real controller on port 0, and
 * the time runs from the connect until the controller has acknowledged every
 * record, i.e. until each is durable in the ledger (checked afterwards by
 * reading the ledger, and that the records there hold every card). Baseline:
 * one write + fsync of the same bytes (the outbox's lines), the least any
 * durable upload could cost.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../controller/logger.js';
import { intervalRecord } from '../../controller/node/displays.js';
import { createNode } from '../../controller/node/node.js';
import { createNodeOutbox } from '../../controller/node/outbox.js';
import { type DisplayEntry, createDisplayCoalescer } from '../../controller/services/signDisplays.js';
import { data, staff, startController } from '../helpers/controller.js';
import { ledgerRecords, nodeOutbox, pairAsNode, poll, publishToVillage, saveNodeSign } from '../helpers/node.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { monotonicMs, sleep, summarise } from './stats.js';

export const name = 'nodeUpload';

async function pollFine(check: () => boolean, failure: string, timeoutMs: number): Promise<void> {
  for (const until = monotonicMs() + timeoutMs; monotonicMs() < until; await sleep(1)) if (check()) return;
  throw new Error(failure);
}

const SIGNS = 10;
const NOTICES = 5;
const ROTATION_S = 10;
const ON_HOURS = 14;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const days = options.quick ? 1 : 7;
  const t = await startController();
  const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-node-'));
  const logger = createLogger({ level: 'error' });
  try {
    const clients = await staff(t);
    const villageId = data((await clients.admin.post<{ id: string }>('/api/villages', { name: '基准村' })).body).id;
    const noticeOf = new Map<string, string>();
    for (let n = 0; n < NOTICES; n++) {
      const notice = await publishToVillage(clients, villageId, { title: `基准测试通知${n + 1}`, ledText: `基准测试通知${n + 1}` });
      noticeOf.set(notice.versions.at(-1)?.contentHash ?? '', notice.id);
    }
    const hashes = [...noticeOf.keys()];

    // Pair the node and attach 10 signs to it (their ports are absent: the node's own records here are a few link-downs).
    const nodeDir = path.join(work, 'node');
    let code = '';
    const config = { controller: t.url, dataDir: nodeDir, build: 'bench' };
    let node = await createNode(config, { logger, print: (line) => (code = /pairing-code (\d{6})/.exec(line)?.[1] ?? code) });
    await poll(() => code !== '', 'the node printed no pairing code');
    const nodeId = await pairAsNode(clients.admin, code, villageId, '基准节点');
    await node.paired;
    for (let i = 0; i < SIGNS; i++) {
      const port = { path: `/dev/gongshi-bench-absent-${i}`, baudRate: 57600 };
      data((await saveNodeSign(clients.admin, `bench-sign-${i}`, { name: `基准屏${i}`, villageId, nodeId, port })).body);
    }
    await poll(() => node.uplinkConnected() && node.queued() === 0, 'the node never settled');
    await sleep(1_000);
    await node.stop();

    // The week, through the node's coalescer into its outbox, as the running node writes it (numbered on from its
    // last number). The node notes itself alive every 2 s and closes the intervals whose period is over then.
    const weekStart = Math.floor((Date.now() - days * DAY) / DAY) * DAY;
    const displays = createDisplayCoalescer({ noticeOf: (hash) => noticeOf.get(hash) });
    const outbox = createNodeOutbox({ dataDir: nodeDir, clockTrusted: () => true, logger });
    await outbox.start();
    const firstSeq = outbox.lastSeq() + 1;
    let cards = 0;
    for (let d = 0; d < days; d++) {
      const on = weekStart + d * DAY + 7 * HOUR;
      for (let s = 0; s < ON_HOURS * 3600; s += ROTATION_S) {
        const start = on + s * 1000;
        const closed = displays.closeDue(start).map(intervalRecord);
        const last = s + ROTATION_S >= ON_HOURS * 3600;
        for (let i = 0; i < SIGNS; i++) {
          const card: DisplayEntry = {
            type: 'sign.display',
            signId: `bench-sign-${i}`,
            contentHash: hashes[(s / ROTATION_S + i) % NOTICES]!,
            start,
            end: start + ROTATION_S * 1000,
            proof: 'acknowledged',
            endReason: last ? 'power-off' : 'replaced',
          };
          closed.push(...displays.fold(card, true).map(intervalRecord));
          cards++;
        }
        if (closed.length > 0) await outbox.append(closed);
      }
    }
    await outbox.append(displays.closeAll().map(intervalRecord));
    const total = outbox.lastSeq() - firstSeq + 1;
    await outbox.stop();
    const week = (await nodeOutbox(nodeDir)).records.filter((r) => r.seq >= firstSeq);
    const text = week.map((r) => `${JSON.stringify(r)}\n`).join('');
    const bytes = Buffer.byteLength(text);
    options.log(
      `  ${cards.toLocaleString('en-US')} cards → ${total.toLocaleString('en-US')} records, ${(bytes / 1024).toFixed(0)} KB in the outbox`,
    );

    // Baseline: the same bytes, one write + fsync.
    const rawFile = path.join(work, 'raw.jsonl');
    const t0 = monotonicMs();
    const handle = await open(rawFile, 'w');
    await handle.write(text);
    await handle.sync();
    await handle.close();
    const rawMs = monotonicMs() - t0;

    const startedAt = monotonicMs();
    node = await createNode(config, { logger });
    // Watched every millisecond: the upload itself takes a few round trips.
    await pollFine(() => node.uplinkConnected(), 'the node did not connect', 60_000);
    const connectedAt = monotonicMs();
    // CPU time of this process (the node and the controller both run in it), so a loaded machine's waits show apart.
    const cpuBefore = process.cpuUsage();
    await pollFine(() => node.queued() === 0, `the node did not upload its week (${node.queued()} left)`, 600_000);
    const doneAt = monotonicMs();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    await node.stop();

    const inLedger = (await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId && r.type === 'sign.display');
    const recorded = inLedger.filter((r) => Number(r.recordSeq) >= firstSeq);
    if (recorded.length !== total) throw new Error(`the ledger holds ${recorded.length} of the node's ${total} intervals`);
    const held = recorded.reduce((n, r) => n + (typeof r.showings === 'number' ? r.showings : 1), 0);
    if (held !== cards) throw new Error(`the ledger's intervals hold ${held} of the ${cards} cards`);
    const uploadMs = doneAt - connectedAt;
    return [
      {
        benchmark: `node week upload (${SIGNS} signs, ${days} d, coalesced): uplink up → all durable in the ledger`,
        n: total,
        rounds: 1,
        payloadBytes: bytes,
        measured: summarise([uploadMs]),
        baseline: { name: 'one write + fsync of the same bytes', ...summarise([rawMs]) },
        notes: [
          `node upload: ${cards.toLocaleString('en-US')} cards in ${total.toLocaleString('en-US')} records (${(bytes / 1024).toFixed(0)} KB) durable ${(uploadMs / 1000).toFixed(3)} s after the uplink connected (target < 5 s); node start incl. loading the outbox → connected ${((connectedAt - startedAt) / 1000).toFixed(2)} s, → all durable ${((doneAt - startedAt) / 1000).toFixed(2)} s; CPU (node and controller, one process) ${(cpuMs / 1000).toFixed(2)} s = ${((cpuMs * 1000) / total).toFixed(1)} µs a record, ${((cpuMs * 1000) / cards).toFixed(2)} µs a card; raw write+fsync ${rawMs.toFixed(0)} ms; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
        ],
      },
    ];
  } finally {
    await t.dispose();
    await rm(work, { recursive: true, force: true });
  }
}
