/**
 * The review workflow against a real controller: the privacy gate with server
 * masking, four-eyes approval with the attestation, correction, withdrawal,
 * and the ledger record of every step.
 */
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice, Playlist } from '../../../controller/protocol/index.js';
import { idCheckCharacter } from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  type KioskClient,
  type TestController,
  connectKiosk,
  data,
  nextEvent,
  staff,
  startController,
} from '../../helpers/controller.js';

/** A synthetic ID number (province-level area code, never issued to a person) with a valid check character. */
function syntheticId(): string {
  const first17 = '41000019800101123';
  return first17 + idCheckCharacter(first17);
}

let t: TestController;
let clients: Awaited<ReturnType<typeof staff>>;
let kiosk: KioskClient;
let latest: Playlist;

beforeAll(async () => {
  t = await startController();
  clients = await staff(t);
  kiosk = connectKiosk(t.url, { deviceId: 'demo-kiosk-v2' });
  kiosk.on('playlist:updated', (p) => (latest = p));
  await nextEvent(kiosk, 'playlist:updated');
});
afterAll(async () => {
  kiosk.disconnect();
  await t.dispose();
});

const content = (body: string) => ({
  title: '张堂村低保对象公示',
  body,
  category: 'a21-social-assistance',
  target: { scope: 'villages', villageIds: ['v2'] },
});

async function ledgerTypes(noticeId: string): Promise<string[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const lines = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8'))))
    .join('')
    .split('\n')
    .filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as { type: string; noticeId?: string; actorId?: string })
    .filter((r) => r.noticeId === noticeId)
    .map((r) => `${r.type} by ${r.actorId}`);
}

describe('privacy gate', () => {
  it('blocks submission of an unmasked ID number, masks it on the server, and publishes the masked text', async () => {
    const { editor, reviewer } = clients;
    const id = syntheticId();
    const notice = data((await editor.post<Notice>('/api/notices', content(`户主：张某，身份证号${id}，保障人数3人。`))).body);
    const blocked = await editor.post(`/api/notices/${notice.id}/submit`);
    expect(blocked.status).toBe(422);
    expect(blocked.body).toMatchObject({ error: 'privacy_blocked' });

    const masked = data((await editor.post<Notice>(`/api/notices/${notice.id}/mask`)).body);
    const body = masked.working?.content.body ?? '';
    expect(body).toContain(`${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(-4)}`);
    expect(body).not.toContain(id);

    data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
    const missingBox = await reviewer.post(`/api/notices/${notice.id}/approve`, {
      attestation: { ...ATTESTATION, checkedAgainstSource: false },
    });
    expect(missingBox).toMatchObject({ status: 400, body: { fields: { 'attestation.checkedAgainstSource': expect.any(String) } } });
    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => p.items.some((i) => i.noticeId === notice.id));
    const approved = data((await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.live?.review?.attestation).toMatchObject(ATTESTATION);
    const [playlist] = await pushed;
    const shown = playlist.items.find((i) => i.noticeId === notice.id);
    expect(shown?.body).not.toContain(id);
    expect(JSON.stringify(playlist)).not.toContain(id);

    // The blocked submission changed nothing, so it left no record.
    expect(await ledgerTypes(notice.id)).toEqual([
      'notice.created by u-demo-editor',
      'notice.masked by u-demo-editor',
      'notice.submitted by u-demo-editor',
      'notice.approved by u-demo-reviewer',
    ]);
  });

  it('lets a reviewer publish personal data only with written reasons from both sides', async () => {
    const { editor, reviewer } = clients;
    const notice = data((await editor.post<Notice>('/api/notices', content('举报电话：13812345678'))).body);
    expect((await editor.post(`/api/notices/${notice.id}/submit`)).status).toBe(422);
    data((await editor.post(`/api/notices/${notice.id}/submit`, { privacyOverrideRequest: '镇纪委公开举报电话' })).body);
    expect((await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).status).toBe(422);
    const approved = data(
      (
        await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, {
          attestation: ATTESTATION,
          privacyOverride: { reason: '公开举报电话是法定要求' },
        })
      ).body,
    );
    expect(approved.live?.review?.privacyOverride).toEqual({ reason: '公开举报电话是法定要求' });
    expect(approved.live?.content.body).toContain('13812345678');
  });
});

describe('four eyes', () => {
  it('refuses to let anyone approve or reject their own version', async () => {
    const { reviewer } = clients;
    const notice = data((await reviewer.post<Notice>('/api/notices', content('审核人自己写的公告'))).body);
    data((await reviewer.post(`/api/notices/${notice.id}/submit`)).body);
    expect((await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).status).toBe(403);
    expect((await reviewer.post(`/api/notices/${notice.id}/reject`, { reason: '自己驳回' })).status).toBe(403);
  });
});

describe('correction and withdrawal', () => {
  it('keeps the approved version showing while its correction is reviewed, then replaces it; withdrawal removes it', async () => {
    const { editor, reviewer } = clients;
    const notice = data((await editor.post<Notice>('/api/notices', content('补助金额每月300元。'))).body);
    await editor.post(`/api/notices/${notice.id}/submit`);
    const first = data((await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);

    const revised = data(
      (
        await editor.request<Notice>('PUT', `/api/notices/${notice.id}/draft`, {
          content: content('补助金额每月350元。'),
          correctionReason: '金额录入错误',
        })
      ).body,
    );
    expect(revised.versions.map((v) => v.state)).toEqual(['approved', 'draft']);
    expect(revised.working?.correction).toEqual({ reason: '金额录入错误' });
    expect(latest.items.find((i) => i.noticeId === notice.id)?.contentHash).toBe(first.live?.contentHash);

    await editor.post(`/api/notices/${notice.id}/submit`);
    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) =>
      p.items.some((i) => i.noticeId === notice.id && i.body.includes('350')),
    );
    const corrected = data((await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(corrected.versions.map((v) => v.state)).toEqual(['superseded', 'approved']);
    const [playlist] = await pushed;
    expect(playlist.items.find((i) => i.noticeId === notice.id)?.correction).toEqual({ reason: '金额录入错误' });

    expect((await editor.post(`/api/notices/${notice.id}/withdraw`, { reason: '撤回' })).status).toBe(403);
    const gone = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => !p.items.some((i) => i.noticeId === notice.id));
    data((await reviewer.post(`/api/notices/${notice.id}/withdraw`, { reason: '政策调整，暂停公示' })).body);
    await gone;
    expect(await ledgerTypes(notice.id)).toEqual([
      'notice.created by u-demo-editor',
      'notice.submitted by u-demo-editor',
      'notice.approved by u-demo-reviewer',
      'notice.revised by u-demo-editor',
      'notice.submitted by u-demo-editor',
      'notice.corrected by u-demo-reviewer',
      'notice.withdrawn by u-demo-reviewer',
    ]);
  });
});

describe('listing', () => {
  it('filters by state, category, village and text, and pages', async () => {
    const { admin } = clients;
    const page = data((await admin.get<{ items: Notice[]; total: number }>('/api/notices?pageSize=2&page=1')).body);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(5);
    const found = data((await admin.get<{ items: Notice[] }>(`/api/notices?q=${encodeURIComponent('350元')}`)).body);
    expect(found.items.map((n) => n.state)).toEqual(['withdrawn']);
    const finance = data((await admin.get<{ items: Notice[] }>('/api/notices?category=v-finance&villageId=v1')).body);
    expect(finance.items.map((n) => n.title)).toEqual(['彪角村2026年第三季度村务财务公开']);
    expect((await admin.get('/api/notices?state=bogus')).status).toBe(400);
  });
});

describe('a write that fails midway', () => {
  it('saves nothing, answers 500 without details, voids the ledger record, and works again once the disk does', async () => {
    const { editor, admin } = clients;
    const stateFile = path.join(t.dataDir, 'state.json');
    const before = await readFile(stateFile, 'utf8');
    const total = data((await admin.get<{ total: number }>('/api/notices')).body).total;
    // Root ignores permissions, so break the write another way: the atomic rename onto a directory fails.
    await rename(stateFile, `${stateFile}.bak`);
    await mkdir(stateFile);
    const failed = await editor.post('/api/notices', content('写盘失败时的公告'));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ ok: false, error: 'internal' });
    expect(JSON.stringify(failed.body)).not.toMatch(/EISDIR|state\.json/);
    expect(data((await admin.get<{ total: number }>('/api/notices')).body).total).toBe(total);
    await rm(stateFile, { recursive: true });
    await rename(`${stateFile}.bak`, stateFile);
    expect(await readFile(stateFile, 'utf8')).toBe(before);

    const dir = path.join(t.dataDir, 'ledger');
    const records = (await Promise.all((await readdir(dir)).map((f) => readFile(path.join(dir, f), 'utf8'))))
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq: number; type: string; voids?: number });
    const voided = records.find((r) => r.type === 'ledger.void');
    expect(records.find((r) => r.seq === voided?.voids)?.type).toBe('notice.created');

    expect((await editor.post('/api/notices', content('恢复后的公告'))).status).toBe(201);
    expect(data((await admin.get<{ total: number }>('/api/notices')).body).total).toBe(total + 1);
  });
});

describe('holiday overrides', () => {
  it('lets an admin add next year’s schedule, refusing a day that is both off and working', async () => {
    const { admin, editor } = clients;
    expect((await editor.request('PUT', '/api/settings/holidays', { holidays: ['2027-10-01'] })).status).toBe(403);
    const both = await admin.request('PUT', '/api/settings/holidays', { holidays: ['2027-10-01'], workdays: ['2027-10-01'] });
    expect(both).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', fields: { holidays: expect.stringContaining('2027-10-01'), workdays: expect.any(String) } },
    });
    const saved = data(
      (
        await admin.request<{ holidayOverrides: unknown }>('PUT', '/api/settings/holidays', {
          holidays: ['2027-10-02', '2027-10-01'],
          workdays: ['2027-09-26'],
        })
      ).body,
    );
    expect(saved.holidayOverrides).toEqual({ holidays: ['2027-10-01', '2027-10-02'], workdays: ['2027-09-26'] });
    expect((await admin.request('PUT', '/api/settings/holidays', { holidays: ['2027-13-01'] })).status).toBe(400);
  });
});

describe('content the schema cannot judge alone', () => {
  it('refuses an impossible posting period and an emergency that has already expired, saving nothing', async () => {
    const { editor, admin } = clients;
    const total = data((await admin.get<{ total: number }>('/api/notices')).body).total;
    const backwards = await editor.post('/api/notices', {
      ...content('x'),
      posting: { start: '2026-12-10', rule: { kind: 'until', end: '2026-12-01' } },
    });
    expect(backwards).toMatchObject({ status: 400, body: { fields: { 'posting.rule.end': expect.any(String) } } });
    const stale = await editor.post('/api/notices', { ...content('x'), emergency: { level: 'red', expiresAt: 1000 } });
    expect(stale).toMatchObject({ status: 400, body: { fields: { 'emergency.expiresAt': expect.any(String) } } });
    expect(data((await admin.get<{ total: number }>('/api/notices')).body).total).toBe(total);
  });

  it('keeps the formed date of the version it edits, lists revisions in the review queue, and names staff for everyone', async () => {
    const { editor, reviewer } = clients;
    const notice = data((await editor.post<Notice>('/api/notices', { ...content('原文'), formedOn: '2026-11-02' })).body);
    await editor.post(`/api/notices/${notice.id}/submit`);
    await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION });
    const revised = data((await editor.request<Notice>('PUT', `/api/notices/${notice.id}/draft`, { content: content('修订') })).body);
    expect(revised.working?.content.formedOn).toBe('2026-11-02');
    await editor.post(`/api/notices/${notice.id}/submit`);
    const queue = data((await reviewer.get<{ items: Notice[] }>('/api/notices?state=pending_review&pageSize=200')).body);
    expect(queue.items.map((n) => n.id)).toContain(notice.id);
    const names = data((await editor.get<{ id: string; displayName: string }[]>('/api/staff')).body);
    expect(names).toContainEqual(expect.objectContaining({ id: 'u-demo-reviewer', displayName: '演示审核人' }));
    expect(JSON.stringify(names)).not.toMatch(/passwordHash|scrypt/);
  });
});

describe('ledger verification', () => {
  it('recomputes the chain on request and returns a checkpoint', async () => {
    const result = data(
      (await clients.reviewer.get<{ ok: boolean; records: number; checkpoint: { seq: number } }>('/api/ledger/verify')).body,
    );
    expect(result.ok).toBe(true);
    expect(result.records).toBeGreaterThan(5);
    expect(result.checkpoint.seq).toBe(result.records);
  });
});
