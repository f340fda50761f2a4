/**
 * A 公示 approved after its planned start, against a real controller on a
 * fixed clock: a wholly past period is refused without 顺延 or a reason, 顺延
 * moves the start to the approval day with the end by the same rule, and the
 * ledger records the days lost and the decision.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../controller/protocol/index.js';
import { ATTESTATION, type TestController, data, staff, startController } from '../../helpers/controller.js';

/** 20:06 in the town on 2026-12-07. */
const NOW = Date.parse('2026-12-07T12:06:00Z');

let t: TestController;
let clients: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  t = await startController({ clock: { now: () => NOW } });
  clients = await staff(t);
});
afterAll(() => t.dispose());

async function submitted(posting: unknown): Promise<Notice> {
  const { editor } = clients;
  const notice = data(
    (
      await editor.post<Notice>('/api/notices', {
        title: '张堂村村务公开：冬季道路维修',
        body: '本村冬季道路维修项目已完工，现予公示。',
        category: 'v-affairs',
        target: { scope: 'villages', villageIds: ['v2'] },
        posting,
      })
    ).body,
  );
  return data((await editor.post<Notice>(`/api/notices/${notice.id}/submit`)).body);
}

async function ledgerOf(noticeId: string): Promise<Record<string, unknown>[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const text = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.noticeId === noticeId);
}

describe('a posting period that starts before the approval', () => {
  it('refuses to approve a wholly past period without 顺延 or a reason, naming the field, and changes nothing', async () => {
    const notice = await submitted({ start: '2026-01-01', rule: { kind: 'calendar_days', days: 7 } });
    const refused = await clients.reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      ok: false,
      error: 'invalid_payload',
      fields: { 'lateStart.reason': expect.stringContaining('公示期已全部过去') },
    });
    const after = data((await clients.reviewer.get<Notice>(`/api/notices/${notice.id}`)).body);
    expect(after.working?.state).toBe('pending_review');
    expect((await ledgerOf(notice.id)).map((r) => r.type)).toEqual(['notice.created', 'notice.submitted']);

    const blank = await clients.reviewer.post(`/api/notices/${notice.id}/approve`, {
      attestation: ATTESTATION,
      lateStart: { reason: ' ' },
    });
    expect(blank.body).toMatchObject({ ok: false, fields: { 'lateStart.reason': expect.any(String) } });
  });

  it('approves a wholly past period as it is with the reason recorded', async () => {
    const notice = await submitted({ start: '2026-01-01', rule: { kind: 'calendar_days', days: 7 } });
    const reason = '补登：已于一月在公示栏张贴';
    const approved = data(
      (await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION, lateStart: { reason } })).body,
    );
    const version = approved.versions.find((v) => v.review?.decision === 'approved');
    expect(version?.review?.lateStart).toEqual({ plannedStart: '2026-01-01', lostDays: 7, wholePast: true, shiftedTo: null, reason });
    expect(version?.content.posting.start).toBe('2026-01-01');
    const record = (await ledgerOf(notice.id)).find((r) => r.type === 'notice.approved');
    expect(record).toMatchObject({ lateStart: { lostDays: 7, wholePast: true, reason } });
  });

  it('顺延 moves a wholly past period to start on the approval day, the end by the same rule', async () => {
    const notice = await submitted({ start: '2026-01-01', rule: { kind: 'calendar_days', days: 7 } });
    const approved = data(
      (await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION, lateStart: { shift: true } }))
        .body,
    );
    expect(approved.state).toBe('approved');
    const live = approved.live;
    expect(live?.content.posting).toEqual({ start: '2026-12-07', rule: { kind: 'calendar_days', days: 7 } });
    expect(live?.startsAt).toBe(Date.parse('2026-12-06T16:00:00Z'));
    expect(live?.endsAt).toBe(Date.parse('2026-12-13T16:00:00Z'));
    expect(live?.review?.lateStart).toMatchObject({ lostDays: 7, wholePast: true, shiftedTo: '2026-12-07' });
    expect(live?.contentHash).not.toBe(notice.working?.contentHash);
    const record = (await ledgerOf(notice.id)).find((r) => r.type === 'notice.approved');
    expect(record).toMatchObject({ postingStart: '2026-12-07', contentHash: live?.contentHash, lateStart: { shiftedTo: '2026-12-07' } });
  });

  it('顺延 of a working-day period counts the working days again from the approval day', async () => {
    // Mon 2026-11-30 + 5 working days ends Fri 12-04; from Mon 12-07 it ends Fri 12-11.
    const notice = await submitted({ start: '2026-11-30', rule: { kind: 'working_days', days: 5 } });
    const approved = data(
      (await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION, lateStart: { shift: true } }))
        .body,
    );
    expect(approved.live?.endsAt).toBe(Date.parse('2026-12-11T16:00:00Z'));
  });

  it('approves a shortened period as it is, recording the days lost', async () => {
    const notice = await submitted({ start: '2026-12-04', rule: { kind: 'until', end: '2026-12-20' } });
    const approved = data((await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.live?.review?.lateStart).toEqual({
      plannedStart: '2026-12-04',
      lostDays: 3,
      wholePast: false,
      shiftedTo: null,
      reason: null,
    });
    expect(approved.live?.content.posting.start).toBe('2026-12-04');
  });

  it('records nothing for a period that starts on the approval day', async () => {
    const notice = await submitted({ start: '2026-12-07', rule: { kind: 'calendar_days', days: 7 } });
    const approved = data((await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.live?.review?.lateStart).toBeUndefined();
  });
});
