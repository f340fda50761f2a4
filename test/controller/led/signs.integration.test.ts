/**
 * The whole path: a real controller (demo town), a sign profile saved through
 * the admin API pointing at a socat pty, the sign emulator on the far end; a
 * notice approved for the sign's village shows up on it, an emergency
 * interrupts at once with its level word, and the display intervals land in
 * the ledger with the sign's acknowledgement as proof.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type Notice, SHOWING_INTERVAL_MS } from '../../../controller/protocol/index.js';
import type { SignFrameView, SignView } from '../../../controller/services/signs.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';
import { type PtyPair, hasSocat, openPtyPair } from '../../helpers/pty.js';

const offset = { ms: 0 };
/** The content hash of the first notice the sign showed. */
let waterHash = '';
let t: TestController;
let pair: PtyPair;
let signEnd: SerialPortStream;
let emu: SignEmulator;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

const PROFILE = {
  name: '张堂村村口屏',
  villageId: 'v2',
  protocol: 'bx5k',
  address: 3,
  widthPx: 192,
  heightPx: 32,
  charset: 'gb2312',
};

async function ledgerRecords(): Promise<Record<string, unknown>[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const lines: Record<string, unknown>[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n'))
      if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

async function poll(check: () => Promise<boolean>, failure: string, timeoutMs = 10_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) if (await check()) return;
  throw new Error(failure);
}

async function publish(body: Record<string, unknown>): Promise<Notice> {
  const draft = data(
    (await clients.editor.post<Notice>('/api/notices', { target: { scope: 'villages', villageIds: ['v2'] }, ...body })).body,
  );
  data((await clients.editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
  return data((await clients.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
}

describe.skipIf(!hasSocat())('signs service with a real controller and a pty sign', () => {
  beforeAll(async () => {
    pair = await openPtyPair();
    emu = new SignEmulator({ protocol: 'bx', address: 3, width: 192, height: 32, baudRate: 57600 });
    signEnd = new SerialPortStream({ binding: SerialPort.binding, path: pair.sign, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => signEnd.open((e) => (e ? reject(e) : resolve())));
    emu.attach(signEnd);
    t = await startController({ clock: { now: () => Date.now() + offset.ms } });
    clients = await staff(t);
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
    emu?.dispose();
    if (signEnd?.isOpen) await new Promise<void>((resolve) => signEnd.close(() => resolve()));
    await pair?.close();
  });

  it('lists one emulated sign per demo village, with a live view of what it shows', async () => {
    const signs = data((await clients.editor.get<SignView[]>('/api/signs')).body);
    expect(signs.filter((s) => s.emulated)).toHaveLength(4);
    const first = signs.find((s) => s.emulated)!;
    await poll(async () => {
      const frame = data((await clients.editor.get<SignFrameView>(`/api/signs/${first.id}/frame`)).body);
      return frame.source === 'emulator' && frame.text.join('') !== '' && (frame.rows === null || frame.rows.length === 32);
    }, 'the demo sign never showed anything');
  });

  it('refuses a wrong profile with every bad field named', async () => {
    const res = await clients.admin.request('PUT', '/api/signs/pty-sign/profile', {
      ...PROFILE,
      port: { path: 'ttyUSB0', baudRate: 1234 },
      address: 0,
      charset: 'big5',
    });
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    const fields = (res.body as { fields?: Record<string, string> }).fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['charset', 'port.baudRate', 'port.path']);
    expect(fields['port.baudRate']).toMatch(/9600/);
    // Cross-field rules run once the fields themselves are right.
    const crossed = await clients.admin.request('PUT', '/api/signs/pty-sign/profile', {
      ...PROFILE,
      port: { path: '/dev/ttyUSB0', baudRate: 9600 },
      address: 0,
      widthPx: 100,
    });
    expect((crossed.body as { fields?: Record<string, string> }).fields).toEqual({
      address: 'BX screen numbers start at 1',
      widthPx: 'must be a multiple of 8 px when X is counted in bytes',
    });
    expect((await clients.editor.request('PUT', '/api/signs/pty-sign/profile', PROFILE)).status).toBe(403);
  });

  it('an approved notice reaches the sign; an emergency interrupts at once; the ledger keeps the acknowledged interval', async () => {
    const saved = await clients.admin.request('PUT', '/api/signs/pty-sign/profile', {
      ...PROFILE,
      port: { path: pair.host, baudRate: 57600 },
    });
    expect(saved.status).toBe(200);
    await emu.waitFor((e) => e.stats().commands.ping !== undefined, 10_000);

    const notice = await publish({
      title: '张堂村停水通知',
      body: '因管网改造，本周六全天停水。',
      ledText: '张堂村自来水管网改造，本周六停水一天',
    });
    // Rotation moves on when an item's time is up: step the controller's clock instead of waiting.
    for (let i = 0; i < 30 && !emu.texts()[0]?.startsWith('张堂村自来水管网改造'); i++) {
      offset.ms += 50_000;
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(emu.texts()[0]).toMatch(/^张堂村自来水管网改造，本周六停水一天/);

    await publish({
      title: '暴雨红色预警',
      body: '请立即转移到安全地带。',
      ledText: '暴雨，请村民立即转移',
      emergency: { level: 'red', expiresAt: Date.now() + offset.ms + 3_600_000 },
    });
    await emu.waitFor((e) => e.texts()[0]?.startsWith('红色预警（一级）暴雨，请村民立即转移') ?? false, 5000);

    waterHash = notice.live?.contentHash ?? '';

    // The host's view follows the ACK, which arrives just after the sign took the text.
    let frame: SignFrameView | null = null;
    await poll(async () => {
      frame = data((await clients.editor.get<SignFrameView>('/api/signs/pty-sign/frame')).body);
      return frame.text[0]?.startsWith('红色预警') ?? false;
    }, 'the live view never showed the warning');
    expect(frame).toMatchObject({ width: 192, height: 32, source: 'last-acknowledged' });
  }, 60_000);

  it('the admin buttons drive the sign, and a bad level is refused', async () => {
    data((await clients.admin.post<SignView>('/api/signs/pty-sign/brightness', { level: 3 })).body);
    expect(emu.state().brightness).toBe(3);
    expect((await clients.admin.post('/api/signs/pty-sign/brightness', { level: 20 })).status).toBe(400);
    data((await clients.admin.post<SignView>('/api/signs/pty-sign/test-pattern')).body);
    expect(emu.texts()[0]).toMatch(/^■□■□测试TEST/);
    data((await clients.admin.post<SignView>('/api/signs/pty-sign/clear')).body);
    expect(emu.texts()).toEqual([]);
    const resent = data((await clients.admin.post<SignView>('/api/signs/pty-sign/resend')).body);
    expect(resent.link).toBe('up');
    expect((await clients.editor.post('/api/signs/pty-sign/clear')).status).toBe(403);
    expect((await clients.admin.post('/api/signs/nope/clear')).status).toBe(404);
  });

  it('records the sign’s cards of a notice as one interval when their period of the day is over', async () => {
    // The controller's clock past the end of the four-hour period the water notice's cards were shown in.
    offset.ms += SHOWING_INTERVAL_MS;
    let records: Record<string, unknown>[] = [];
    await poll(async () => {
      records = (await ledgerRecords()).filter((r) => r.type === 'sign.display' && r.signId === 'pty-sign' && r.contentHash === waterHash);
      return records.length > 0;
    }, 'no display interval in the ledger');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ villageId: 'v2', proof: 'acknowledged', endReason: 'replaced', recordId: expect.any(String) });
    expect(Number(records[0]?.end)).toBeGreaterThanOrEqual(Number(records[0]?.start));
  });
});
