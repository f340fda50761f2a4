/**
 * `npm run backup` while kiosks stream display receipts into a running
 * controller, then `npm run restore` into a new directory and a controller
 * started on it: the chain verifies, the restored ledger is exactly the live
 * ledger up to the backup's head, and every receipt acknowledged before the
 * backup started is in it.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAME } from '../../../controller/ops/backup.js';
import type { Ack, CheckpointExport, DisplayReportResult, Playlist } from '../../../controller/protocol/index.js';
import { verifyLedger } from '../../../controller/store/verify.js';
import { runTool } from './cli.js';
import {
  ApiClient,
  type KioskClient,
  type TestController,
  connectKiosk,
  data,
  initialPassword,
  makeDataDir,
  nextEvent,
  startController,
} from '../../helpers/controller.js';
import { readArchive } from './archive.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
}, 60_000);

/** Waits until `done()` holds, failing clearly after `ms` (generous: the machine may be loaded). */
async function waitFor(what: string, done: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Acked {
  id: string;
  at: number;
}

/** Sends reports of 50 receipts as fast as they are acknowledged, until stopped; notes when each receipt was acknowledged. */
function stream(
  socket: KioskClient,
  item: { noticeId: string; contentHash: string },
  acked: Acked[],
): { stop: () => Promise<void>; failures: unknown[] } {
  let running = true;
  const failures: unknown[] = [];
  const loop = (async () => {
    while (running) {
      const now = Date.now();
      const receipts = Array.from({ length: 50 }, () => ({
        kind: 'display' as const,
        receiptId: randomUUID(),
        clockTrusted: true,
        noticeId: item.noticeId,
        contentHash: item.contentHash,
        startedAt: now - 30_000,
        endedAt: now,
      }));
      let ack: Ack<DisplayReportResult> | null;
      try {
        ack = await socket.timeout(30_000).emitWithAck('display:report', { receipts });
      } catch (error) {
        // No acknowledgement within 30 s: none of these receipts count as acknowledged; note it and go on.
        failures.push(error);
        ack = null;
      }
      if (ack?.ok) for (const id of ack.data.recorded) acked.push({ id, at: Date.now() });
      else await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    failures,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function ledgerText(dataDir: string): Promise<Map<string, string>> {
  const dir = path.join(dataDir, 'ledger');
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(path.join(dir, name), 'utf8'));
  return out;
}

function receiptsIn(segments: Map<string, string>): Set<string> {
  const ids = new Set<string>();
  for (const text of segments.values()) {
    for (const line of text.split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line) as { type: string; receiptId?: string };
      if (r.type === 'display.kiosk' && r.receiptId) ids.add(r.receiptId);
    }
  }
  return ids;
}

describe('backup while the controller runs, then restore', () => {
  it('restores a verifying ledger that holds every receipt acknowledged before the backup', async () => {
    const live: TestController = await startController();
    cleanup.push(() => live.dispose());
    const kiosks = [1, 2, 3, 4].map((n) => connectKiosk(live.url, { deviceId: `demo-kiosk-v${n}` }));
    cleanup.push(() => Promise.resolve(kiosks.forEach((k) => k.close())));
    const playlists = await Promise.all(kiosks.map((k) => nextEvent<[Playlist]>(k, 'playlist:updated', () => true, 30_000)));
    const acked: Acked[] = [];
    const streams = kiosks.map((k, i) => {
      const item = playlists[i]?.[0].items[0];
      if (!item) throw new Error('the demo kiosk has nothing to show');
      return stream(k, item, acked);
    });
    cleanup.push(() => Promise.all(streams.map((s) => s.stop())).then(() => undefined));
    await waitFor('200 acknowledged receipts', () => acked.length >= 200);

    const backupStart = Date.now();
    const out = path.join(await makeDataDir(), 'nightly.tar.gz');
    cleanup.push(() => rm(path.dirname(out), { recursive: true, force: true }));
    const backup = await runTool('backup', ['--data', live.dataDir, '--out', out]);
    const backupEnd = Date.now();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`backup written: ${out}`);
    await waitFor('50 receipts acknowledged after the backup', () => acked.filter((a) => a.at > backupEnd).length >= 50);
    await Promise.all(streams.map((s) => s.stop()));
    // A report that timed out is not an error of the backup, but it should not happen on a working controller.
    expect(streams.flatMap((s) => s.failures)).toEqual([]);
    // The kiosks kept being acknowledged while the backup ran.
    expect(acked.some((a) => a.at > backupStart && a.at < backupEnd)).toBe(true);

    const archive = await readArchive(out);
    const manifest = archive.manifest;
    expect(archive.names.at(-1)).toBe(MANIFEST_NAME);
    expect(archive.names).toEqual(expect.arrayContaining(['state.json', 'keys/checkpoint-signing.key', 'keys/checkpoint-signing.pub']));
    expect(archive.names.some((n) => n.startsWith('aggregates/'))).toBe(false);
    expect(manifest.skipped.map((s) => s.path)).toContain('aggregates/');

    const liveCheckpoint = data((await signedIn(live)).body);
    await live.stop();
    const liveLedger = await ledgerText(live.dataDir);
    expect(manifest.ledger.seq).toBeLessThan(liveCheckpoint.seq);

    const restoredDir = path.join(await makeDataDir(), 'data');
    cleanup.push(() => rm(path.dirname(restoredDir), { recursive: true, force: true }));
    const restore = await runTool('restore', [out, '--data', restoredDir]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`the ledger verifies: ${manifest.ledger.seq} records`);

    // Exactly the live ledger up to the backup's head: every restored segment is a prefix of the live one, of whole lines.
    const restoredLedger = await ledgerText(restoredDir);
    for (const [name, text] of restoredLedger) {
      expect(liveLedger.get(name)?.startsWith(text), name).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
    }
    const lastLine = [...restoredLedger.values()].at(-1)?.trimEnd().split('\n').at(-1) ?? '';
    expect(JSON.parse(lastLine)).toMatchObject({ seq: manifest.ledger.seq, hash: manifest.ledger.headHash });

    const inRestored = receiptsIn(restoredLedger);
    const before = acked.filter((a) => a.at <= backupStart);
    expect(before.length).toBeGreaterThanOrEqual(200);
    expect(before.filter((a) => !inRestored.has(a.id))).toEqual([]);

    const again = await startController({ dataDir: restoredDir });
    cleanup.push(() => again.stop());
    const verification = await verifyLedger(restoredDir);
    expect(verification).toMatchObject({ ok: true });
    const checkpoint = data((await signedIn(again)).body);
    expect(checkpoint.seq).toBeGreaterThanOrEqual(manifest.ledger.seq);
    // The same signing key came back with the backup.
    expect(checkpoint.signature?.fingerprint).toBe(liveCheckpoint.signature?.fingerprint);
    // The report aggregates were rebuilt from the ledger, since the backup does not carry them.
    expect(again.logs.some((l) => l.namespace.endsWith('aggregates') && /snapshot at 0/.test(l.message))).toBe(true);
  }, 240_000);
});

async function signedIn(t: TestController): Promise<{ body: Ack<CheckpointExport> }> {
  const admin = new ApiClient(t.url);
  await admin.login('admin', await initialPassword(t.dataDir));
  return admin.get<CheckpointExport>('/api/ledger/checkpoint');
}
