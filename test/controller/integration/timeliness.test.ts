/**
 * What the admin's overdue flag and list filters are built on, against a real
 * controller with an injected clock: each notice not yet approved carries its
 * Art. 26 deadline (20 working days from the formed date, on the holiday
 * calendar) as the controller's clock sees it; the list filters by date range;
 * and masking is recorded with the fields it changed.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice, NoticePage } from '../../../controller/protocol/index.js';
import { ATTESTATION, type TestController, data, staff, startController } from '../../helpers/controller.js';

const DAY = 86_400_000;
/** Thursday 2026-11-26, 10:00 in Beijing. The clock only moves forward, and staff sign in again after it does (sessions last 12 h). */
const START = Date.parse('2026-11-26T02:00:00Z');
let now = START;
/** A notice formed on START, read again once the clock has moved on. */
let formedToday: Notice;
let t: TestController;
let clients: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  t = await startController({ clock: { now: () => now } });
  clients = await staff(t);
});
afterAll(async () => {
  await t.dispose();
});

const draft = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  body: '正文',
  target: { scope: 'villages', villageIds: ['v2'] },
  ...extra,
});

async function create(title: string, extra: Record<string, unknown> = {}): Promise<Notice> {
  return data((await clients.editor.post<Notice>('/api/notices', draft(title, extra))).body);
}
const get = async (id: string): Promise<Notice> => data((await clients.admin.get<Notice>(`/api/notices/${id}`)).body);

describe('the disclosure deadline on a notice not yet approved', () => {
  it('is overdue, due soon or ok by the formed date and the controller clock, across 国庆 with its 调休 Saturday', async () => {
    // Formed Fri 10-09: Sat 10-10 (调休) is the first working day, so the 20th is Thu 11-05; 15 working days later is 11-26.
    expect((await create('逾期测试', { formedOn: '2026-10-09' })).deadline).toEqual({
      deadline: '2026-11-05',
      workingDaysLeft: -15,
      state: 'overdue',
    });
    expect((await create('将到期测试', { formedOn: '2026-11-02' })).deadline).toEqual({
      deadline: '2026-11-30',
      workingDaysLeft: 2,
      state: 'due_soon',
    });
    formedToday = await create('新形成测试');
    expect(formedToday.deadline).toEqual({ deadline: '2026-12-24', workingDaysLeft: 20, state: 'ok' });
  });

  it('is kept while under review and dropped once approved; a withdrawn draft has none', async () => {
    const { editor, reviewer } = clients;
    const notice = await create('审核中测试', { formedOn: '2026-10-09' });
    data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
    expect((await get(notice.id)).deadline?.state).toBe('overdue');
    const approved = data((await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.deadline).toBeNull();
    // A revision of a published notice does not bring the flag back: the information was disclosed.
    const revised = data(
      (await editor.request<Notice>('PUT', `/api/notices/${notice.id}/draft`, { content: draft('审核中测试（修订）') })).body,
    );
    expect(revised.working?.state).toBe('draft');
    expect(revised.deadline).toBeNull();

    const dropped = await create('撤回测试', { formedOn: '2026-10-09' });
    data((await editor.post(`/api/notices/${dropped.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${dropped.id}/withdraw`, { reason: '不再公开' })).body);
    expect((await get(dropped.id)).deadline).toBeNull();
  });
});

describe('masking in the ledger', () => {
  it('records who masked which fields', async () => {
    const notice = await create('电话13812345678', { body: '联系人手机13912345678。' });
    data((await clients.editor.post(`/api/notices/${notice.id}/mask`)).body);
    const dir = path.join(t.dataDir, 'ledger');
    const records = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8'))))
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; noticeId?: string; actorId?: string; changes?: string[] });
    const masked = records.find((r) => r.type === 'notice.masked' && r.noticeId === notice.id);
    // The LED text defaults to the title, so it held the number too.
    expect(masked).toMatchObject({ actorId: 'u-demo-editor', changes: ['title', 'body', 'ledText'] });
  });
});

describe('the notice list', () => {
  it('filters by a date range of the last change, both ends included, with the other filters', async () => {
    const first = await create('区间测试甲');
    now = START + 10 * DAY;
    clients = await staff(t);
    const second = await create('区间测试乙');
    const titles = async (query: string): Promise<string[]> =>
      data((await clients.admin.get<NoticePage>(`/api/notices?q=${encodeURIComponent('区间测试')}&${query}`)).body)
        .items.map((n) => n.title)
        .sort();
    expect(await titles('from=2026-11-26&to=2026-11-26')).toEqual([first.title]);
    expect(await titles('from=2026-12-06')).toEqual([second.title]);
    expect(await titles('to=2026-12-05')).toEqual([first.title]);
    expect(await titles('from=2026-11-26&to=2026-12-06')).toEqual([first.title, second.title].sort());
    expect(await titles('from=2026-11-27&to=2026-12-05')).toEqual([]);
    const bad = await clients.admin.get('/api/notices?from=2026-11-31');
    expect(bad).toMatchObject({ status: 400, body: { fields: { from: expect.any(String) } } });
  });
});

describe('as the controller clock moves on', () => {
  it('turns a notice that was in time overdue, without anyone touching it', async () => {
    // Tue 12-29: overdue by Fri 12-25, Mon 12-28 and Tue 12-29.
    now = START + 33 * DAY;
    clients = await staff(t);
    expect((await get(formedToday.id)).deadline).toEqual({ deadline: '2026-12-24', workingDaysLeft: -3, state: 'overdue' });
    const page = data((await clients.admin.get<NoticePage>(`/api/notices?q=${encodeURIComponent('测试')}&pageSize=200`)).body);
    expect(page.items.filter((n) => n.deadline?.state === 'overdue').map((n) => n.title)).toEqual(
      expect.arrayContaining(['逾期测试', '将到期测试', '新形成测试']),
    );
  });
});
