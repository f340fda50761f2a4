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
import type { Ack, DisplayReportResult, Health, Playlist, StaffUser } from '../../controller/protocol/index.js';
import { verifyLedger } from '../../controller/store/verify.js';
import {
  ApiClient,
  type TestController,
  connectKiosk,
  demoPassword,
  initialPassword,
  makeDataDir,
  nextEvent,
  restartController,
  staff,
  startController,
} from '../helpers/controller.js';
import { within } from './system/checks.js';

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
    expect(refused).toMatchObject({ ok: false, error: 'disk_full', message: expect.stringContaining('磁盘已满') });
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
    expect(manual.status).toBe(507);
    expect(manual.body).toMatchObject({
      ok: false,
      error: 'disk_full',
      message: expect.stringContaining('disk holding the controller’s data directory is full'),
    });
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

describe.skipIf(!canMount())('a full data disk (tmpfs under the whole data directory, root only)', () => {
  let whole: TestController | null = null;
  let wholeDir = '';
  afterAll(async () => {
    await whole?.stop();
    if (wholeDir) {
      execFileSync('umount', [wholeDir]);
      await rm(wholeDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('names the disk in every refusal, says degraded on /api/health, keeps sign-in working, and recovers when space returns', async () => {
    wholeDir = await makeDataDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', wholeDir]);
    whole = await startController({ dataDir: wholeDir });
    const s = await staff(whole);
    const health = async () => (await (await fetch(`${whole?.url}/api/health`)).json()) as Ack<Health>;
    expect(await health()).toMatchObject({ ok: true, data: { status: 'ok' } });
    const notice = { title: '磁盘满时的通知', body: '正文', target: { scope: 'town' } };

    const filler = path.join(wholeDir, 'filler.bin');
    await fill(filler);
    await fill(`${filler}.2`);
    const refused = await s.editor.post('/api/notices', notice);
    expect(refused.status).toBe(507);
    expect(refused.body).toMatchObject({ ok: false, error: 'disk_full', message: expect.stringMatching(/磁盘已满.*disk .*is full/) });
    const degraded = await health();
    expect(degraded).toMatchObject({ ok: true, data: { status: 'degraded', problems: [{ code: 'disk_full' }] } });

    // Signing in needs no disk: the session lives in memory until it can be saved.
    const late = new ApiClient(whole.url);
    await late.login('reviewer', await demoPassword(wholeDir, 'reviewer'));
    expect((await late.get<StaffUser>('/api/auth/me')).body).toMatchObject({ ok: true, data: { username: 'reviewer' } });
    expect((await late.get('/api/notices')).status).toBe(200);

    await rm(filler);
    await rm(`${filler}.2`);
    await within(5_000, '/api/health back to ok', async () => {
      const h = await health();
      return h.ok && h.data.status === 'ok' ? null : JSON.stringify(h);
    });
    expect((await s.editor.post('/api/notices', notice)).status).toBe(201);
    // The session made while the disk was full is saved with the next sign-in and survives a restart.
    await s.admin.login('admin', await initialPassword(wholeDir));
    await whole.stop();
    whole = await restartController(whole);
    expect(
      (await new ApiClient(whole.url).request<StaffUser>('GET', '/api/auth/me', undefined, { cookie: late.cookie })).body,
    ).toMatchObject({
      ok: true,
      data: { username: 'reviewer' },
    });
  }, 180_000);
});
