/**
 * The village node's outbox (controller/node/outbox.ts) on real files: a
 * start reads only what is not acknowledged, acknowledgements of concurrent
 * batches share one write and fsync, and a child process killed with SIGKILL
 * at random moments neither loses a durable record nor sends an acknowledged
 * one again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { packageRoot } from '../../../controller/main.js';
import { type NodeOutbox, createNodeOutbox } from '../../../controller/node/outbox.js';
import type { NodeRecord } from '../../../controller/protocol/index.js';

const logger = createLogger({ level: 'error' });
const hash = 'cd'.repeat(32);
let dir = '';

const outboxIn = (dataDir: string): NodeOutbox => createNodeOutbox({ dataDir, clockTrusted: () => true, logger });
const intervals = (n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'sign.display' as const,
    signId: 'sign-1',
    contentHash: hash,
    start: from + i * 10_000,
    end: from + (i + 1) * 10_000,
    proof: 'acknowledged' as const,
    endReason: 'replaced' as const,
  }));
/** Takes everything that waits, batch after batch (without acknowledging it). */
async function takeAll(outbox: NodeOutbox): Promise<NodeRecord[]> {
  const all: NodeRecord[] = [];
  for (let batch = await outbox.take(2_000, 200 * 1024); batch.length > 0; batch = await outbox.take(2_000, 200 * 1024)) all.push(...batch);
  return all;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the node outbox', () => {
  it('starts without holding its backlog in memory, and takes up where the acknowledgements end', { timeout: 120_000 }, async () => {
    const first = outboxIn(dir);
    await first.start();
    for (let i = 0; i < 20; i++) await first.append(intervals(5_000, 1_765_000_000_000 + i * 50_000_000));
    // The controller acknowledged the oldest 30,000, out of order within their batches.
    for (let acked = 0; acked < 30_000;) {
      const batch = await first.take(2_000, 1024 * 1024);
      await first.acknowledge(batch.map((r) => r.seq).reverse());
      acked += batch.length;
    }
    await first.stop();

    const heapBefore = process.memoryUsage().heapUsed;
    const again = outboxIn(dir);
    await again.start();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(again.size()).toBe(70_000);
    expect(again.lastSeq()).toBe(100_000);
    // 70,000 records parsed and kept are tens of megabytes; a start that only counts them keeps next to nothing.
    expect(grown, `heap grew ${Math.round(grown / 1024 / 1024)} MB at start`).toBeLessThan(12 * 1024 * 1024);
    const rest = await takeAll(again);
    expect(rest).toHaveLength(70_000);
    expect(rest[0]?.seq).toBe(30_001);
    expect(rest.at(-1)?.seq).toBe(100_000);
    await again.stop();
  });

  it('writes the acknowledgements of concurrent batches with one write', async () => {
    const outbox = outboxIn(dir);
    await outbox.start();
    await outbox.append(intervals(8_000, 1_765_000_000_000));
    const batches: NodeRecord[][] = [];
    for (let i = 0; i < 8; i++) batches.push(await outbox.take(1_000, 1024 * 1024));
    await Promise.all(batches.map((b) => outbox.acknowledge(b.map((r) => r.seq))));
    await outbox.stop();
    const lines = (await readFile(path.join(dir, 'outbox-acked.jsonl'), 'utf8')).split('\n').filter(Boolean);
    // The first batch's write starts at once; the seven that came while it was on its way share the next one.
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.flatMap((l) => (JSON.parse(l) as { runs: number[] }).runs)).toEqual(
      lines.length === 1 ? [1, 8_000] : [1, 1_000, 1_001, 8_000],
    );
  });

  it(
    'killed with SIGKILL at random moments, loses no durable record and gives no acknowledged one out again',
    { timeout: 120_000 },
    async () => {
      const appended = new Set<number>();
      const acked = new Set<number>();
      const child = (): { process: ChildProcess; lines: () => number; exited: Promise<void> } => {
        const p = spawn(process.execPath, ['--import', 'tsx', path.join(packageRoot(), 'test/helpers/outboxChild.ts'), dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let rest = '';
        let count = 0;
        p.stdout?.on('data', (chunk: Buffer) => {
          const text = rest + chunk.toString();
          const lines = text.split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            const [what, ...seqs] = line.split(' ');
            const into = what === 'appended' ? appended : what === 'acked' ? acked : null;
            for (const s of seqs) into?.add(Number(s));
            count++;
          }
        });
        return { process: p, lines: () => count, exited: new Promise((resolve) => p.once('exit', () => resolve())) };
      };
      let seed = 20261207;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let round = 0; round < 6; round++) {
        const c = child();
        const until = Date.now() + 30_000;
        while (c.lines() < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 100 + random() * 600));
        c.process.kill('SIGKILL');
        await c.exited;
      }
      expect(appended.size).toBeGreaterThan(1_000);
      expect(acked.size).toBeGreaterThan(100);

      const outbox = outboxIn(dir);
      await outbox.start();
      const waiting = await takeAll(outbox);
      const seqs = waiting.map((r) => r.seq);
      expect(new Set(seqs).size, 'nothing given out twice').toBe(seqs.length);
      expect(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]!),
        'oldest first',
      ).toBe(true);
      expect(outbox.size(), 'the count at start matches what is there').toBe(waiting.length);
      for (const s of seqs) expect(acked.has(s), `record ${s} was acknowledged`).toBe(false);
      // Every durable record is either still waiting or was acknowledged (the kill may have come between an
      // acknowledgement's fsync and its report, so one not reported acknowledged may be gone too — but only if the
      // outbox's own acknowledgement file says so).
      const ackFile = (await readFile(path.join(dir, 'outbox-acked.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          const runs = (JSON.parse(l) as { runs: number[] }).runs;
          const out: number[] = [];
          for (let i = 0; i < runs.length; i += 2) for (let s = runs[i]!; s <= runs[i + 1]!; s++) out.push(s);
          return out;
        });
      const onDisk = new Set(ackFile);
      // Emptied once everything in it was acknowledged: what was there up to the kept last number was acknowledged.
      const compactedThrough = await readFile(path.join(dir, 'outbox-meta.json'), 'utf8').then(
        (t) => (JSON.parse(t) as { lastSeq: number }).lastSeq,
        () => 0,
      );
      const still = new Set(seqs);
      for (const s of appended)
        if (!acked.has(s)) expect(still.has(s) || onDisk.has(s) || s <= compactedThrough, `record ${s} lost`).toBe(true);
      await outbox.stop();
    },
  );
});
