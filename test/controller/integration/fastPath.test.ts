/**
 * The emergency fast path is what it is for (issue 12 point 4): one reviewer
 * may write and approve a warning alone only for a bounded time (the town's
 * `fastPathMaxHours`, 72 h unless set), refused beyond it naming the field;
 * the approval asks a second reviewer to confirm it, in the same ledger
 * write; every reviewer sees it waiting until another reviewer confirms it
 * (recorded) or it is withdrawn; and the reports read the new records.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Ack,
  DEFAULT_FAST_PATH_MAX_HOURS,
  type Notice,
  type PendingConfirmation,
  addCalendarDays,
  civilDateOf,
} from '../../../controller/protocol/index.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let reviewer: ApiClient;
const H = 3_600_000;

beforeAll(async () => {
  t = await startController();
  ({ admin, editor, reviewer } = await staff(t));
});
afterAll(async () => {
  await t?.dispose();
});

async function ledger(): Promise<{ type: string; seq: number; [k: string]: unknown }[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const records: { type: string; seq: number }[] = [];
  for (const file of (await readdir(dir)).sort()) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) if (line) records.push(JSON.parse(line) as never);
  }
  return records;
}

/** A warning the reviewer writes and submits alone, ending `hours` from now. */
async function warning(title: string, hours: number): Promise<Notice> {
  const created = data(
    (
      await reviewer.post<Notice>('/api/notices', {
        title,
        body: '请立即转移至村委会避险点。',
        category: 'a20-emergency',
        target: { scope: 'villages', villageIds: ['v1'] },
        emergency: { level: 'red', expiresAt: Date.now() + hours * H },
      })
    ).body,
  );
  data((await reviewer.post(`/api/notices/${created.id}/submit`)).body);
  return created;
}

const fastApprove = (id: string) => reviewer.post<Notice>(`/api/notices/${id}/approve`, { attestation: ATTESTATION, fastPath: true });
const pending = async (who: ApiClient = admin) => data((await who.get<PendingConfirmation[]>('/api/fast-path/pending')).body);

describe('the emergency fast path', () => {
  it('refuses a warning one reviewer would publish alone for fifty years, naming the field, and changes nothing', async () => {
    const long = await warning('暴雨红色预警（五十年）', 50 * 365 * 24);
    const before = (await ledger()).length;
    const res = await fastApprove(long.id);
    expect(res.status).toBe(400);
    const ack = res.body as Ack<never> & { fields?: Record<string, string> };
    expect(ack).toMatchObject({ ok: false, error: 'invalid_payload' });
    if (ack.ok) throw new Error('approved');
    expect(ack.fields?.['emergency.expiresAt']).toMatch(
      new RegExp(`${DEFAULT_FAST_PATH_MAX_HOURS} hours.*${DEFAULT_FAST_PATH_MAX_HOURS} 小时`),
    );
    expect((await ledger()).length).toBe(before);
    expect(data((await admin.get<Notice>(`/api/notices/${long.id}`)).body).working?.state).toBe('pending_review');
    // A second reviewer may still approve it as it is: the bound is the fast path's, not every warning's.
    const approved = data((await admin.post<Notice>(`/api/notices/${long.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.live?.review?.fastPath).toBeUndefined();
    expect((await pending()).map((p) => p.noticeId)).not.toContain(long.id);
  });

  it('takes its bound from the town settings, checked naming the field', async () => {
    for (const [value, field] of [
      [0, /at least 1 hour.*至少 1 小时/],
      [169, /at most 168 hours.*最长 168 小时/],
      [2.5, /whole hours/],
    ] as const) {
      const res = await admin.request('PUT', '/api/settings/emergency', { fastPathMaxHours: value });
      expect(res.status).toBe(400);
      expect((res.body as { fields?: Record<string, string> }).fields?.fastPathMaxHours).toMatch(field);
    }
    const saved = data((await admin.request<{ fastPathMaxHours: number }>('PUT', '/api/settings/emergency', { fastPathMaxHours: 6 })).body);
    expect(saved.fastPathMaxHours).toBe(6);
    expect((await ledger()).filter((r) => r.type === 'settings.emergency').at(-1)).toMatchObject({ fastPathMaxHours: 6 });
    expect((await reviewer.request('PUT', '/api/settings/emergency', { fastPathMaxHours: 100 })).status).toBe(403);

    const seven = await warning('大风橙色预警（七小时）', 7);
    const refused = await fastApprove(seven.id);
    expect(refused.status).toBe(400);
    expect((refused.body as { fields?: Record<string, string> }).fields?.['emergency.expiresAt']).toMatch(/at most 6 hours/);
  });

  it('asks a second reviewer to confirm, shows it to every reviewer until one does, and records both', async () => {
    const storm = await warning('暴雨红色预警', 5);
    const approved = data((await fastApprove(storm.id)).body);
    expect(approved.live?.review).toMatchObject({ fastPath: true });
    const records = await ledger();
    const approval = records.find((r) => r.type === 'notice.approved' && r.noticeId === storm.id);
    const request = records.find((r) => r.type === 'notice.confirmation-requested' && r.noticeId === storm.id);
    expect(approval).toMatchObject({ fastPath: true });
    // In the same write as the approval: no crash can leave one without the other.
    expect(request).toMatchObject({ seq: approval!.seq + 1, maxHours: 6, expiresAt: approved.live!.content.emergency!.expiresAt });

    for (const who of [admin, reviewer]) {
      expect(await pending(who)).toEqual([
        expect.objectContaining({ noticeId: storm.id, versionId: approved.live!.id, title: '暴雨红色预警', state: 'approved' }),
      ]);
    }
    expect((await editor.get('/api/fast-path/pending')).status).toBe(403);

    // Not by the reviewer who approved it alone; not without an opinion; not for a version that was not fast-pathed.
    const self = await reviewer.post(`/api/notices/${storm.id}/confirm`, { versionId: approved.live!.id, opinion: '情况属实' });
    expect(self).toMatchObject({ status: 403, body: { message: expect.stringMatching(/另一位审核人/) } });
    const noOpinion = await admin.post(`/api/notices/${storm.id}/confirm`, { versionId: approved.live!.id, opinion: '' });
    expect((noOpinion.body as { fields?: Record<string, string> }).fields?.opinion).toMatch(/确认意见/);
    const wrong = await admin.post(`/api/notices/${storm.id}/confirm`, { versionId: 'no-such-version', opinion: '情况属实' });
    expect((wrong.body as { fields?: Record<string, string> }).fields?.versionId).toBeDefined();

    const confirmed = data(
      (await admin.post<Notice>(`/api/notices/${storm.id}/confirm`, { versionId: approved.live!.id, opinion: '情况属实，同意发布' })).body,
    );
    expect(confirmed.live?.review?.confirmation).toMatchObject({ opinion: '情况属实，同意发布' });
    expect(await pending()).toEqual([]);
    expect((await ledger()).find((r) => r.type === 'notice.fast-path-confirmed' && r.noticeId === storm.id)).toMatchObject({
      versionId: approved.live!.id,
      opinion: '情况属实，同意发布',
      approvedBy: approved.live!.review!.by,
    });
    const again = await admin.post(`/api/notices/${storm.id}/confirm`, { versionId: approved.live!.id, opinion: '再次确认' });
    expect(again.status).toBe(409);
  });

  it('takes a withdrawn warning off the list: withdrawing is the other answer', async () => {
    const wind = await warning('大风蓝色预警', 2);
    data((await fastApprove(wind.id)).body);
    expect((await pending()).map((p) => p.noticeId)).toEqual([wind.id]);
    data((await admin.post(`/api/notices/${wind.id}/withdraw`, { reason: '误报，撤回' })).body);
    expect(await pending()).toEqual([]);
  });

  it('keeps the reports answering over the new records', async () => {
    const today = civilDateOf(Date.now());
    const range = `from=${addCalendarDays(today, -1)}&to=${addCalendarDays(today, 1)}`;
    for (const url of [`/api/reports/stats?${range}`, `/api/reports/compliance?${range}`, `/api/reports/timeliness?${range}`]) {
      const res = await admin.get(url);
      expect(res.status, url).toBe(200);
    }
    const stats = data((await admin.get<{ reviewed?: number }>(`/api/reports/stats?${range}`)).body);
    expect(stats).toBeTruthy();
    const year = Number(today.slice(0, 4));
    expect((await admin.get(`/api/reports/annual/${year}/V2021`)).status).toBe(200);
  });
});
