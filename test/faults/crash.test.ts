/**
 * Fault: kill -9 of the controller while 10 kiosk clients stream display
 * receipts, 20 times. Each client keeps every receipt it has not seen
 * acknowledged and sends it again after the restart. At the end every
 * acknowledged receipt is in the ledger exactly once, nothing a client still
 * held is lost, and the chain verifies after every restart.
 *
 * The controller runs in a child process (`node --import tsx controller/main.ts`)
 * so SIGKILL hits it mid-write; the clients run here. "Full speed" is what the
 * controller lets a kiosk send (KIOSK_EVENT_LIMIT: 4 reports a second per
 * device after a burst of 40): 10 clients share the 4 demo kiosks, sending
 * reports of 250 receipts as fast as they are acknowledged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack, DisplayReportResult, Playlist } from '../../controller/protocol/index.js';
import { verifyLedger } from '../../controller/store/verify.js';
import { type KioskClient, connectKiosk, makeDataDir, nextEvent } from '../helpers/controller.js';

const ROUNDS = 20;
const CLIENTS = 10;
const PER_REPORT = 250;
let dir = '';

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'controller/main.ts', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`controller did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/admin\//.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`controller exited with ${code}: ${out}`)));
  });
  return { child, url };
}

interface Sender {
  pending: Map<string, object>;
  acked: Set<string>;
}

/** Streams receipts until `stop()`; each report's receipts move from pending to acked only when the controller says they are recorded. */
function stream(socket: KioskClient, sender: Sender, item: { noticeId: string; contentHash: string }): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running && socket.connected) {
      while (sender.pending.size < PER_REPORT) {
        const now = Date.now();
        const receiptId = randomUUID();
        sender.pending.set(receiptId, {
          kind: 'display',
          receiptId,
          clockTrusted: true,
          noticeId: item.noticeId,
          contentHash: item.contentHash,
          startedAt: now - 30_000,
          endedAt: now,
        });
      }
      const batch = [...sender.pending.values()].slice(0, PER_REPORT);
      try {
        const ack: Ack<DisplayReportResult> = await socket.timeout(10_000).emitWithAck('display:report', { receipts: batch as never });
        if (ack.ok) {
          for (const id of ack.data.recorded) {
            sender.pending.delete(id);
            sender.acked.add(id);
          }
          if (ack.data.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(ack.data.rejected[0])}`);
        } else if (ack.error === 'rate_limited') {
          await new Promise((r) => setTimeout(r, 300));
        }
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('rejected')) throw error;
        return; // timed out or disconnected: the receipts stay pending
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function ledgerReceipts(dataDir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ledgerDir = path.join(dataDir, 'ledger');
  for (const name of (await readdir(ledgerDir)).sort()) {
    for (const line of (await readFile(path.join(ledgerDir, name), 'utf8')).split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as { type: string; receiptId?: string };
      if (record.type === 'display.kiosk' && record.receiptId) counts.set(record.receiptId, (counts.get(record.receiptId) ?? 0) + 1);
    }
  }
  return counts;
}

describe('kill -9 while kiosks stream receipts', () => {
  it(`keeps every acknowledged receipt exactly once over ${ROUNDS} crashes, and the chain verifies each time`, async () => {
    dir = await makeDataDir();
    const senders: Sender[] = Array.from({ length: CLIENTS }, () => ({ pending: new Map(), acked: new Set() }));
    let cutLogs = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const { child, url } = await startChild(dir);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('torn last line')) cutLogs++;
      });
      // The controller cut any torn tail at start; nothing is being written before the kiosks connect.
      const check = await verifyLedger(dir);
      expect(check, `round ${round}`).toMatchObject({ ok: true });

      const sockets = senders.map((_, i) => connectKiosk(url, { deviceId: `demo-kiosk-v${(i % 4) + 1}` }));
      const playlists = await Promise.all(sockets.map((s) => nextEvent<[Playlist]>(s, 'playlist:updated', () => true, 30_000)));
      const streams = sockets.map((s, i) => {
        const item = playlists[i]?.[0].items[0];
        if (!item) throw new Error('the demo kiosk has nothing to show');
        return stream(s, senders[i]!, item);
      });
      if (round < ROUNDS) {
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
        child.kill('SIGKILL');
      } else {
        // Last start: the receipts held since the last kill go out again first; then a clean stop.
        await new Promise((r) => setTimeout(r, 2000));
        child.kill('SIGTERM');
      }
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      await Promise.all(streams.map((s) => s.stop()));
      for (const s of sockets) s.close();
    }

    const counts = await ledgerReceipts(dir);
    const acked = senders.flatMap((s) => [...s.acked]);
    expect(acked.length).toBeGreaterThan(ROUNDS * PER_REPORT);
    const missing = acked.filter((id) => !counts.has(id));
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    const final = await verifyLedger(dir);
    expect(final).toMatchObject({ ok: true });
    // Receipts a client still held at the end were never acknowledged; none of them may be in the ledger twice either.
    console.info(
      `crash test: ${acked.length} receipts acknowledged over ${ROUNDS} kills, ${counts.size} in the ledger, ${cutLogs} torn tails cut, ${final.ok ? final.records : 0} records verify`,
    );
  }, 900_000);
});
