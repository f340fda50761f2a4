/**
 * Fault: the disk holding the ledger fills up. A real full disk: a 256 KB
 * tmpfs mounted over `<data dir>/ledger` (needs root; skipped, saying so,
 * without it). Appends fail with a clear error, kiosks are not told their
 * receipts were recorded and keep them, nothing acknowledged is lost, the
 * file stays a whole chain, and writing resumes once space returns.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack, DisplayReportResult, Playlist } from '../../controller/protocol/index.js';
import { verifyLedger } from '../../controller/store/verify.js';
import { type TestController, connectKiosk, makeDataDir, nextEvent, staff, startController } from '../helpers/controller.js';

let t: TestController | null = null;
let dataDir = '';
let mounted = false;

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await t?.stop();
  if (mounted) execFileSync('umount', [path.join(dataDir, 'ledger')]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** Writes zeros until the file system refuses: the disk is now full. */
async function fill(file: string): Promise<number> {
  const handle = await open(file, 'w');
  const block = Buffer.alloc(4096);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(block);
      bytes += bytesWritten;
      if (bytesWritten < block.length) break;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return bytes;
}

describe.skipIf(!canMount())('a full disk under the ledger (tmpfs, root only)', () => {
  it('refuses appends clearly, keeps the senders’ receipts unacknowledged, and resumes when space returns', async () => {
    dataDir = await makeDataDir();
    const ledgerDir = path.join(dataDir, 'ledger');
    await mkdir(ledgerDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', ledgerDir]);
    mounted = true;
    t = await startController({ dataDir });
    const s = await staff(t);
    const kiosk = connectKiosk(t.url, { deviceId: 'demo-kiosk-v1' });
    const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
    const item = playlist.items[0]!;
    const receipts = (n: number) =>
      Array.from({ length: n }, () => ({
        kind: 'display' as const,
        receiptId: randomUUID(),
        clockTrusted: true,
        noticeId: item.noticeId,
        contentHash: item.contentHash,
        startedAt: Date.now() - 1000,
        endedAt: Date.now(),
      }));
    const report = (batch: ReturnType<typeof receipts>): Promise<Ack<DisplayReportResult>> =>
      kiosk.timeout(10_000).emitWithAck('display:report', { receipts: batch });

    const before = receipts(20);
    const first = await report(before);
    expect(first).toMatchObject({ ok: true });

    const filler = path.join(ledgerDir, 'filler.bin');
    await fill(filler);
    const held = receipts(200);
    const refused = await report(held);
    expect(refused).toMatchObject({ ok: false, error: 'internal', message: expect.stringContaining('keep it and try again') });
    expect(t.logs.some((l) => l.level === 'error' && l.message.includes('disk holding the ledger is full (ENOSPC)'))).toBe(true);
    // The refused batch was cut back off the file, which gave its bytes back: take them too, and use up the slack
    // in the segment's last page (a full file system still takes writes into blocks it already gave out).
    await fill(`${filler}.2`);
    for (let i = 0; i < 50; i++) {
      const one = receipts(1);
      if (!(await report(one)).ok) break;
      before.push(...one);
    }
    // Larger than any slack left (a refused receipt was ~400 bytes).
    const manual = await s.editor.post('/api/disclosures/manual', {
      channel: 'board',
      title: '磁盘满时登记'.repeat(30),
      note: '备注'.repeat(250),
      disclosedOn: new Date().toISOString().slice(0, 10),
    });
    expect(manual.status).toBe(503);
    expect(manual.body).toMatchObject({ ok: false, error: 'unavailable', message: expect.stringContaining('ENOSPC') });
    // Nothing of the refused batch is on disk, and what is there is a whole chain.
    expect(await verifyLedger(dataDir)).toMatchObject({ ok: true });

    await rm(filler);
    await rm(`${filler}.2`);
    const again = await report(held);
    expect(again).toMatchObject({ ok: true });
    if (again.ok) expect(new Set(again.data.recorded)).toEqual(new Set(held.map((r) => r.receiptId)));
    expect(
      (
        await s.editor.post('/api/disclosures/manual', {
          channel: 'board',
          title: '恢复后登记',
          disclosedOn: new Date().toISOString().slice(0, 10),
        })
      ).status,
    ).toBe(201);

    const verified = await verifyLedger(dataDir);
    expect(verified).toMatchObject({ ok: true });
    const ledgerText = await readLedger(ledgerDir);
    for (const r of [...before, ...held]) expect(ledgerText.split(r.receiptId).length - 1, r.receiptId).toBe(1);
    kiosk.close();
  }, 120_000);
});

async function readLedger(dir: string): Promise<string> {
  let text = '';
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) text += await readFile(path.join(dir, name), 'utf8');
  return text;
}
