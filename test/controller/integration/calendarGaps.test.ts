/**
 * Issue 14: a notice's API answer says which years of its posting period or
 * 公开时限 have no known holiday schedule, and a town's own entries for a year
 * count as knowing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../controller/protocol/index.js';
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

const notice = (start: string) => ({
  title: '道路维修公示',
  body: '村东道路维修，公示期七个工作日。',
  category: 'a20-other',
  formedOn: '2026-06-01',
  target: { scope: 'town' },
  posting: { start, rule: { kind: 'working_days', days: 7 } },
});

describe('years without a known holiday schedule', () => {
  it('are named in the notice the API answers, and a town override covers its year', async () => {
    const inKnown = data((await s.editor.post<Notice>('/api/notices', notice('2026-06-03'))).body);
    expect(inKnown.unknownCalendarYears).toEqual([]);
    const reaching = data((await s.editor.post<Notice>('/api/notices', notice('2027-03-01'))).body);
    expect(reaching.unknownCalendarYears).toEqual([2027]);
    expect(data((await s.editor.get<Notice>(`/api/notices/${reaching.id}`)).body).unknownCalendarYears).toEqual([2027]);

    const set = await s.admin.request('PUT', '/api/settings/holidays', { holidays: ['2027-02-08'], workdays: [] });
    expect(set.status).toBe(200);
    expect(data((await s.editor.get<Notice>(`/api/notices/${reaching.id}`)).body).unknownCalendarYears).toEqual([]);
  });
});
