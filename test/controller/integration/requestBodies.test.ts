/**
 * What a request body must be before anything is written (issue 12 point 13): well-formed text in every field,
 * over HTTP and over the kiosk's socket; UTF-8 bytes, not replaced silently; and a body that arrives at a
 * reasonable pace, so a trickling client cannot hold a connection for minutes while a slow photo still goes through.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, KioskReceipt, Notice, NoticePage, PhotoRef } from '../../../controller/protocol/index.js';
import {
  type ApiClient,
  type KioskClient,
  type TestController,
  ATTESTATION,
  connectKiosk,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const open: KioskClient[] = [];

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  for (const k of open) k.disconnect();
  await t?.dispose();
}, 60_000);

const noticeCount = async (): Promise<number> => data((await s.editor.get<NoticePage>('/api/notices')).body).total;

describe('text in request bodies', () => {
  it('refuses a lone surrogate in any field of a JSON body, naming the field, and creates nothing', async () => {
    const before = await noticeCount();
    // JSON.stringify writes a lone surrogate as the escape \udXXX: valid JSON, invalid text.
    const title = await s.editor.post('/api/notices', {
      title: '关于\ud800公示',
      body: '正文',
      target: { scope: 'villages', villageIds: ['v1'] },
    });
    expect(title.status).toBe(400);
    expect(title.body).toMatchObject({ ok: false, error: 'invalid_payload', fields: { title: expect.stringMatching(/surrogate/) } });
    expect((title.body as { message: string }).message).toMatch(/无效字符/);
    const body = await s.editor.post('/api/notices', {
      title: '关于公示',
      body: '正文\udc00结尾',
      target: { scope: 'villages', villageIds: ['v1'] },
    });
    expect(body.body).toMatchObject({ ok: false, fields: { body: expect.any(String) } });
    const manual = await s.editor.post('/api/disclosures/manual', {
      channel: 'board',
      villageId: 'v1',
      title: '村务公开栏',
      note: '备注\udbff',
      disclosedOn: '2026-01-05',
    });
    expect(manual.status).toBe(400);
    expect(manual.body).toMatchObject({ ok: false, fields: { note: expect.stringMatching(/surrogate/) } });
    // A surrogate pair (an emoji, a rare hanzi from plane 2) is a character like any other.
    const pair = await s.editor.post<Notice>('/api/notices', {
      title: '𠀋村公示😀',
      body: '正文',
      target: { scope: 'villages', villageIds: ['v1'] },
    });
    expect(pair.status).toBe(201);
    expect(await noticeCount()).toBe(before + 1);
  });

  it('refuses a body that is not UTF-8 instead of saving it with replacement characters', async () => {
    const before = await noticeCount();
    const json = Buffer.concat([
      Buffer.from('{"title":"关于', 'utf8'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('公示","body":"正文","target":{"scope":"villages","villageIds":["v1"]}}', 'utf8'),
    ]);
    const res = await fetch(`${t.url}/api/notices`, {
      method: 'POST',
      headers: { cookie: s.editor.cookie, 'content-type': 'application/json; charset=utf-8' },
      body: new Uint8Array(json),
    });
    expect(res.status).toBe(400);
    expect((await res.json()) as Ack<never>).toMatchObject({
      ok: false,
      error: 'invalid_payload',
      message: expect.stringMatching(/UTF-8/),
    });
    expect(await noticeCount()).toBe(before);
  });

  it('refuses a lone surrogate in a kiosk receipt (a villager’s comment) before any handler records it', async () => {
    const draft = data(
      (await s.editor.post<Notice>('/api/notices', { title: '评价测试', body: '正文', target: { scope: 'villages', villageIds: ['v1'] } }))
        .body,
    );
    data((await s.editor.post(`/api/notices/${draft.id}/submit`)).body);
    const notice = data((await s.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    const { deviceId, token } = await pairDevice(s.admin, { name: '文本测试屏', villageId: 'v1' });
    const kiosk = connectKiosk(t.url, { deviceId, token });
    open.push(kiosk);
    await nextEvent(kiosk, 'server:hello');
    const base = { noticeId: notice.id, contentHash: notice.live?.contentHash ?? '', clockTrusted: true };
    const rated: KioskReceipt = {
      kind: 'interaction',
      receiptId: randomUUID(),
      seq: 1,
      ...base,
      action: 'rated',
      rating: 4,
      comment: '很好\ud83d',
      at: Date.now() - 1000,
    };
    const refused = await kiosk.emitWithAck('display:report', { receipts: [rated] });
    expect(refused).toMatchObject({
      ok: false,
      error: 'invalid_payload',
      fields: { 'receipts.0.comment': expect.stringMatching(/surrogate/) },
    });
    const fixed = data(await kiosk.emitWithAck('display:report', { receipts: [{ ...rated, comment: '很好👍' }] }));
    expect(fixed.recorded).toEqual([rated.receiptId]);
  });
});

/** Sends the head of a POST and then `trickle` bytes one at a time every `everyMs`; resolves with the status line and when it came. */
function trickle(
  url: string,
  path: string,
  length: number,
  everyMs: number,
): Promise<{ status: string; afterMs: number; closed: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`);
      timer = setInterval(() => socket.write(' '), everyMs);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ status: answer.split('\r\n')[0] ?? '', afterMs: Date.now() - started, closed: true });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
    }, 40_000).unref();
  });
}

describe('slow request bodies', () => {
  it('answers a trickling body 408 and closes the connection after about ten seconds, not ninety', async () => {
    const result = await trickle(t.url, '/api/auth/login', 10_000, 1000);
    expect(result.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(result.afterMs).toBeGreaterThanOrEqual(9_000);
    expect(result.afterMs).toBeLessThan(16_000);
  }, 30_000);

  it('still takes a 1 MB photo sent over fourteen seconds (a slow 4G uplink)', async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1024 * 1024 - 4, 7)]);
    const chunk = 64 * 1024;
    const body = new ReadableStream<Uint8Array>({
      start() {},
      async pull(controller) {
        const sent = (this as unknown as { sent?: number }).sent ?? 0;
        if (sent >= photo.length) return controller.close();
        await new Promise((r) => setTimeout(r, 850));
        controller.enqueue(new Uint8Array(photo.subarray(sent, sent + chunk)));
        (this as unknown as { sent?: number }).sent = sent + chunk;
      },
    });
    const started = Date.now();
    const res = await fetch(`${t.url}/api/disclosures/photos`, {
      method: 'POST',
      headers: { cookie: s.editor.cookie, 'content-type': 'image/jpeg', 'content-length': String(photo.length) },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(Date.now() - started).toBeGreaterThan(12_000);
    expect(res.status).toBe(201);
    expect(((await res.json()) as Ack<PhotoRef>).ok).toBe(true);
  }, 40_000);
});
