/**
 * Issue 14: the dates a 其他渠道 entry may claim. Not after today, not before
 * the 条例 (2008-05-01); older than the town's limit (default 30 days) only
 * from a reviewer with the reason; the recorded time travels with the entry,
 * so a backdated one shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ManualDisclosure, type TownSettings, addCalendarDays, civilDateOf } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const today = civilDateOf(Date.now());
const entry = (disclosedOn: string, extra: object = {}) => ({ channel: 'board', title: '村务公开栏张贴', disclosedOn, ...extra });

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

async function count(): Promise<number> {
  return data((await s.admin.get<ManualDisclosure[]>('/api/disclosures/manual')).body).length;
}

describe('the day a 其他渠道 entry claims', () => {
  it.each([
    ['tomorrow', addCalendarDays(today, 1), /after today/],
    ['2031-03-12', '2031-03-12', /after today/],
    ['1901-01-01', '1901-01-01', /2008-05-01/],
    ['2008-04-30', '2008-04-30', /2008-05-01/],
  ])('refuses %s naming disclosedOn, and records nothing', async (_name, day, message) => {
    const before = await count();
    for (const client of [s.editor, s.reviewer]) {
      const res = await client.post('/api/disclosures/manual', entry(day, { lateReason: '补录' }));
      expect(res.status).toBe(400);
      expect((res.body as { fields: Record<string, string> }).fields).toEqual({ disclosedOn: expect.stringMatching(message) });
    }
    expect(await count()).toBe(before);
  });

  it('takes today and the last day within the limit from an editor, with the recorded time', async () => {
    const started = Date.now();
    for (const day of [today, addCalendarDays(today, -30)]) {
      const saved = data((await s.editor.post<ManualDisclosure>('/api/disclosures/manual', entry(day))).body);
      expect(saved).toMatchObject({ disclosedOn: day, recordedAt: expect.any(Number) });
      expect(saved.recordedAt).toBeGreaterThanOrEqual(started - 1000);
      expect(saved.late).toBeUndefined();
    }
  });

  it('needs a reviewer and a reason past the limit, and keeps who confirmed it and why', async () => {
    const old = addCalendarDays(today, -31);
    const before = await count();
    const editor = await s.editor.post('/api/disclosures/manual', entry(old, { lateReason: '忘记登记' }));
    expect(editor.status).toBe(403);
    expect(editor.body).toMatchObject({ fields: { disclosedOn: expect.stringMatching(/31 days ago.*reviewer/) } });
    const noReason = await s.reviewer.post('/api/disclosures/manual', entry(old));
    expect(noReason.body).toMatchObject({ ok: false, fields: { lateReason: expect.any(String) } });
    expect(await count()).toBe(before);

    const saved = data(
      (await s.reviewer.post<ManualDisclosure>('/api/disclosures/manual', entry(old, { lateReason: '据纸质台账补录' }))).body,
    );
    expect(saved.late).toEqual({ days: 31, confirmedBy: expect.any(String), reason: '据纸质台账补录' });
    const listed = data((await s.editor.get<ManualDisclosure[]>(`/api/disclosures/manual?from=${old}&to=${old}`)).body);
    expect(listed.find((m) => m.entryId === saved.entryId)).toMatchObject({
      disclosedOn: old,
      recordedAt: saved.recordedAt,
      late: saved.late,
    });
  });

  it('follows the town’s own limit', async () => {
    const set = await s.admin.request<TownSettings>('PUT', '/api/settings/records', { manualLateDays: 90 });
    expect(data(set.body).manualLateDays).toBe(90);
    expect((await s.editor.post('/api/disclosures/manual', entry(addCalendarDays(today, -60)))).status).toBe(201);
    expect((await s.editor.request('PUT', '/api/settings/records', { manualLateDays: 5 })).status).toBe(403);
    expect((await s.admin.request('PUT', '/api/settings/records', { manualLateDays: 0 })).body).toMatchObject({
      fields: { manualLateDays: expect.any(String) },
    });
  });
});
