/**
 * Issue 14: every free-text field is scanned before it is written anywhere
 * permanent or public, through the real HTTP and socket paths. The 其他渠道
 * title and note, the application register's subject and a case summary are
 * refused naming the field; a notice's 文号 and 发布单位 go through the same
 * gate and 一键脱敏 as its text; a villager's comment is masked before the
 * ledger sees it.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notice, type Playlist, type Satisfaction, civilDateOf } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, connectKiosk, data, nextEvent, staff, startController } from '../../helpers/controller.js';
import { syntheticId } from '../../protocol/privacyCorpus.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const today = civilDateOf(Date.now());
const ID = syntheticId('411325', '19820315', '451'); // 411325198203154518
const MOBILE = '139-0377-1234';

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

/** Every ledger line on disk, as written. */
async function ledgerText(): Promise<string> {
  const dir = path.join(t.dataDir, 'ledger');
  return (await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
}

describe('free text that goes into the ledger for good', () => {
  it.each([
    ['title', { title: `张某（身份证 ${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}）低保公示张贴` }],
    ['note', { title: '低保公示张贴', note: `联系人手机 ${MOBILE}` }],
  ])('refuses a 其他渠道 entry with personal data in its %s, naming the field, and records nothing', async (field, fields) => {
    const before = await ledgerText();
    const res = await s.editor.post('/api/disclosures/manual', { channel: 'board', disclosedOn: today, ...fields });
    expect(res.status).toBe(400);
    const body = res.body as { ok: false; fields: Record<string, string> };
    expect(Object.keys(body.fields)).toEqual([field]);
    expect(body.fields[field]).toMatch(/^contains an unmasked .*\(含未脱敏的.*请脱敏后再保存\)$/);
    expect(await ledgerText()).toBe(before);
  });

  it('records the same entry once masked', async () => {
    const res = await s.editor.post('/api/disclosures/manual', {
      channel: 'board',
      title: '张某（身份证 411325********4518）低保公示张贴',
      note: '联系人手机 139****1234',
      disclosedOn: today,
    });
    expect(res.status).toBe(201);
  });

  it('refuses an application whose subject holds a mobile, and a case summary holding an ID', async () => {
    const before = await ledgerText();
    const app = await s.reviewer.post('/api/registers/applications', {
      applicantType: 'natural',
      receivedOn: today,
      subject: `申请公开宅基地审批材料，申请人电话${MOBILE.replaceAll('-', '.')}`,
    });
    expect(app.status).toBe(400);
    expect(app.body).toMatchObject({ ok: false, fields: { subject: expect.stringContaining('mobile number') } });
    expect(Object.keys((app.body as { fields: object }).fields)).toEqual(['subject']);
    const kase = await s.reviewer.post('/api/registers/cases', {
      kind: 'reconsideration',
      filedOn: today,
      summary: `申请人${ID}不服答复`,
    });
    expect(kase.body).toMatchObject({ ok: false, fields: { summary: expect.stringContaining('ID number') } });
    expect(await ledgerText()).toBe(before);
    expect(
      (
        await s.reviewer.post('/api/registers/applications', {
          applicantType: 'natural',
          receivedOn: today,
          subject: '申请公开宅基地审批材料',
        })
      ).status,
    ).toBe(201);
  });
});

describe("a notice's 文号 and 发布单位", () => {
  it('block submission like the text does, and 一键脱敏 masks them', async () => {
    const notice = data(
      (
        await s.editor.post<Notice>('/api/notices', {
          title: '关于道路维修的通知',
          body: '村东道路维修，请绕行。',
          docNumber: `联系人${MOBILE}`,
          issuer: `村委会（经办人身份证${ID}）`,
          category: 'a20-other',
          target: { scope: 'town' },
        })
      ).body,
    );
    const blocked = await s.editor.post(`/api/notices/${notice.id}/submit`);
    expect(blocked.status).toBe(422);
    expect(blocked.body).toMatchObject({ error: 'privacy_blocked', message: expect.stringContaining('2 unmasked') });
    const masked = data((await s.editor.post<Notice>(`/api/notices/${notice.id}/mask`)).body);
    expect(masked.working?.content).toMatchObject({ docNumber: '联系人139****1234', issuer: '村委会（经办人身份证411325********4518）' });
    expect((await s.editor.post(`/api/notices/${notice.id}/submit`)).status).toBe(200);
  });
});

describe("villagers' comments from the kiosk's rating panel", () => {
  it('are masked before the ledger or a report sees them', async () => {
    const kiosk = connectKiosk(t.url, { deviceId: 'demo-kiosk-v1' });
    const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
    const item = playlist.items[0]!;
    const comment = `路灯坏了，请联系我 ${MOBILE}，身份证${ID}`;
    const receipt = {
      kind: 'interaction' as const,
      action: 'rated' as const,
      receiptId: randomUUID(),
      noticeId: item.noticeId,
      contentHash: item.contentHash,
      clockTrusted: true,
      at: Date.now() - 1000,
      rating: 2,
      comment,
    };
    expect(data(await kiosk.emitWithAck('display:report', { receipts: [receipt] })).recorded).toHaveLength(1);
    kiosk.close();
    const ledger = await ledgerText();
    expect(ledger).not.toContain(MOBILE);
    expect(ledger).not.toContain(ID);
    expect(ledger).toContain('路灯坏了，请联系我 139****1234，身份证411325********4518');
    const sat = data((await s.editor.get<Satisfaction>(`/api/reports/satisfaction?from=${today}&to=${today}`)).body);
    expect(sat.comments.map((c) => c.comment)).toContain('路灯坏了，请联系我 139****1234，身份证411325********4518');
  });
});
