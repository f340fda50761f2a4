/** Disclosures made outside the system: recorded by staff in the ledger, with an optional photo that is size-limited and type-checked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualDisclosure, PhotoRef } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3e36ba30000000049454e44ae426082',
  'hex',
);

async function upload(client: ApiClient, bytes: Buffer, type: string) {
  const res = await fetch(`${t.url}/api/disclosures/photos`, {
    method: 'POST',
    headers: { cookie: client.cookie, 'content-type': type },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: PhotoRef; fields?: Record<string, string> } };
}

describe('manual channel disclosures', () => {
  it('records a 公示栏 posting with its photo and lists it', async () => {
    const photo = await upload(s.editor, PNG, 'image/png');
    expect(photo.status).toBe(201);
    expect(photo.body.data).toMatchObject({ type: 'image/png', bytes: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const sha = photo.body.data?.sha256 ?? '';

    const res = await s.reviewer.post<ManualDisclosure>('/api/disclosures/manual', {
      channel: 'board',
      title: '2026年低保对象公示（张贴）',
      villageId: 'v2',
      category: 'a21-social-assistance',
      keyAreas: ['扶贫'],
      disclosedOn: '2026-03-02',
      photo: sha,
      lateReason: '张贴照片补登',
    });
    expect(res.status).toBe(201);
    const entry = data(res.body);
    expect(entry).toMatchObject({
      channel: 'board',
      villageId: 'v2',
      disclosedOn: '2026-03-02',
      photo: { sha256: sha, type: 'image/png' },
    });

    const list = data((await s.reviewer.get<ManualDisclosure[]>('/api/disclosures/manual?from=2026-03-01&to=2026-03-31')).body);
    expect(list.map((m) => m.entryId)).toContain(entry.entryId);
    expect(data((await s.reviewer.get<ManualDisclosure[]>('/api/disclosures/manual?from=2026-04-01')).body)).toEqual([]);

    const image = await fetch(`${t.url}/api/disclosures/photos/${sha}`, { headers: { cookie: s.reviewer.cookie } });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('refuses bad entries naming the field, and records nothing', async () => {
    const before = data((await s.admin.get<ManualDisclosure[]>('/api/disclosures/manual')).body).length;
    const bad = await s.editor.post('/api/disclosures/manual', { channel: 'fax', title: '', disclosedOn: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      ok: false,
      fields: { channel: expect.any(String), title: expect.any(String), disclosedOn: expect.any(String) },
    });
    const village = await s.editor.post('/api/disclosures/manual', {
      channel: 'wechat',
      title: 'x',
      disclosedOn: '2026-02-03',
      villageId: 'nowhere',
    });
    expect(village.body).toMatchObject({ ok: false, fields: { villageId: expect.any(String) } });
    const notice = await s.editor.post('/api/disclosures/manual', {
      channel: 'wechat',
      title: 'x',
      disclosedOn: '2026-02-03',
      noticeId: 'nope',
    });
    expect(notice.body).toMatchObject({ ok: false, fields: { noticeId: expect.any(String) } });
    const photo = await s.editor.post('/api/disclosures/manual', {
      channel: 'board',
      title: 'x',
      disclosedOn: '2026-02-03',
      photo: 'a'.repeat(64),
    });
    expect(photo.body).toMatchObject({ ok: false, fields: { photo: expect.any(String) } });
    expect(data((await s.admin.get<ManualDisclosure[]>('/api/disclosures/manual')).body)).toHaveLength(before);
  });

  it('checks photos by their bytes and size', async () => {
    const notImage = await upload(s.editor, Buffer.from('GIF89a not allowed'), 'image/png');
    expect(notImage.status).toBe(400);
    expect(notImage.body.fields?.photo).toMatch(/JPEG|PNG/);
    const lying = await upload(s.editor, PNG, 'image/jpeg');
    expect(lying.status).toBe(400);
    const pdf = await upload(s.editor, Buffer.from('%PDF-1.4'), 'application/pdf');
    expect(pdf.status).toBe(400);
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(s.editor, big, 'image/jpeg');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.fields?.photo).toMatch(/5 MB/);
  });
});
