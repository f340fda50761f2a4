/**
 * A village node's week offline, uploaded: 10 signs rotating every 10 s
 * through their on-hours (07:00–21:00), 7 days = 352,800 display intervals
 * (`--quick`: one day, 50,400) waiting in the node's outbox. The real node
 * (in-process) starts, its uplink connects to a real controller on port 0, and
 * the time runs from the connect until the controller has acknowledged every
 * record, i.e. until each is durable in the ledger (checked afterwards by
 * reading the ledger). Baseline: one write + fsync of the same bytes (the
 * outbox's lines) to a file, the least any durable upload could cost.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../controller/logger.js';
import { createNode } from '../../controller/node/node.js';
import type { Notice } from '../../controller/protocol/index.js';
import { ATTESTATION, data, staff, startController } from '../helpers/controller.js';
import { ledgerRecords, nodeOutbox, pairAsNode, poll } from '../helpers/node.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { monotonicMs, sleep, summarise } from './stats.js';

export const name = 'nodeUpload';

const SIGNS = 10;
const ROTATION_S = 10;
const ON_HOURS = 14;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const days = options.quick ? 1 : 7;
  const total = SIGNS * days * ON_HOURS * (3600 / ROTATION_S);
  const t = await startController();
  const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-node-'));
  const logger = createLogger({ level: 'error' });
  try {
    const clients = await staff(t);
    const villageId = data((await clients.admin.post<{ id: string }>('/api/villages', { name: '基准村' })).body).id;
    const draft = data(
      (
        await clients.editor.post<Notice>('/api/notices', {
          target: { scope: 'villages', villageIds: [villageId] },
          title: '基准测试通知',
          body: '基准测试通知。详情见村务公开栏。',
          ledText: '基准测试通知',
        })
      ).body,
    );
    data((await clients.editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
    const notice = data((await clients.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    const contentHash = notice.versions.at(-1)?.contentHash ?? '';

    // Pair the node and attach 10 signs to it (their ports are absent: the node's own records here are a few link-downs).
    const nodeDir = path.join(work, 'node');
    let code = '';
    const config = { controller: t.url, dataDir: nodeDir, build: 'bench' };
    let node = await createNode(config, { logger, print: (line) => (code = /pairing-code (\d{6})/.exec(line)?.[1] ?? code) });
    await poll(() => code !== '', 'the node printed no pairing code');
    const nodeId = await pairAsNode(clients.admin, code, villageId, '基准节点');
    await node.paired;
    for (let i = 0; i < SIGNS; i++) {
      data(
        (
          await clients.admin.request('PUT', `/api/signs/bench-sign-${i}/profile`, {
            name: `基准屏${i}`,
            villageId,
            protocol: 'bx5k',
            address: 1,
            widthPx: 192,
            heightPx: 32,
            charset: 'gb2312',
            port: { path: `/dev/gongshi-bench-absent-${i}`, baudRate: 57600 },
            node: nodeId,
          })
        ).body,
      );
    }
    await poll(() => node.uplinkConnected() && node.queued() === 0, 'the node never settled');
    await sleep(1_000);
    await node.stop();

    // The week, appended to the outbox as the node writes it (numbered on from its last number).
    const before = await nodeOutbox(nodeDir);
    let seq = Math.max(0, ...before.records.map((r) => r.seq));
    const weekStart = Math.floor((Date.now() - days * DAY) / DAY) * DAY;
    const lines: string[] = [];
    for (let d = 0; d < days; d++) {
      for (let s = 0; s < ON_HOURS * 3600; s += ROTATION_S) {
        for (let i = 0; i < SIGNS; i++) {
          const start = weekStart + d * DAY + 7 * HOUR + s * 1000;
          lines.push(
            `${JSON.stringify({
              type: 'sign.display',
              signId: `bench-sign-${i}`,
              contentHash,
              start,
              end: start + ROTATION_S * 1000,
              proof: 'acknowledged',
              endReason: 'replaced',
              recordId: randomUUID(),
              seq: ++seq,
              clockTrusted: true,
            })}\n`,
          );
        }
      }
    }
    const text = lines.join('');
    await appendFile(path.join(nodeDir, 'outbox.jsonl'), text);
    const bytes = Buffer.byteLength(text);
    options.log(`  ${total.toLocaleString('en-US')} records, ${(bytes / 1024 / 1024).toFixed(0)} MB in the outbox`);

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
    await poll(() => node.uplinkConnected(), 'the node did not connect', 60_000);
    const connectedAt = monotonicMs();
    // CPU time of this process (the node and the controller both run in it), so a loaded machine's waits show apart.
    const cpuBefore = process.cpuUsage();
    await poll(() => node.queued() === 0, `the node did not upload its week (${node.queued()} left)`, 600_000);
    const doneAt = monotonicMs();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    await node.stop();

    const inLedger = (await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId && r.type === 'sign.display').length;
    if (inLedger !== total) throw new Error(`the ledger holds ${inLedger} of the node's ${total} intervals`);
    const uploadMs = doneAt - connectedAt;
    return [
      {
        benchmark: `node week upload (${SIGNS} signs, ${days} d): uplink up → all durable in the ledger`,
        n: total,
        rounds: 1,
        payloadBytes: bytes,
        measured: summarise([uploadMs]),
        baseline: { name: 'one write + fsync of the same bytes', ...summarise([rawMs]) },
        notes: [
          `node upload: ${total.toLocaleString('en-US')} records (${(bytes / 1024 / 1024).toFixed(0)} MB) durable ${(uploadMs / 1000).toFixed(1)} s after the uplink connected (target < 5 s); node start incl. loading the outbox → connected ${((connectedAt - startedAt) / 1000).toFixed(1)} s; CPU (node and controller, one process) ${(cpuMs / 1000).toFixed(1)} s = ${((cpuMs * 1000) / total).toFixed(1)} µs a record; raw write+fsync ${rawMs.toFixed(0)} ms; load average ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
        ],
      },
    ];
  } finally {
    await t.dispose();
    await rm(work, { recursive: true, force: true });
  }
}
