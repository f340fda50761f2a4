/**
 * 撤回提交 against a real controller: the editor who submitted a version (or
 * an admin) takes it back to draft, recorded in the ledger; anyone else, and
 * any notice not waiting for review, is refused and nothing changes.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notice, parseLedgerEntry } from '../../../controller/protocol/index.js';
import { ATTESTATION, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let clients: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  t = await startController();
  clients = await staff(t);
});
afterAll(() => t.dispose());

async function submitted(title: string): Promise<Notice> {
  const { editor } = clients;
  const notice = data(
    (
      await editor.post<Notice>('/api/notices', {
        title,
        body: `${title}，现予公示。`,
        category: 'v-affairs',
        target: { scope: 'villages', villageIds: ['v2'] },
        posting: { rule: { kind: 'calendar_days', days: 5 } },
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

describe('撤回提交 (recall a submitted version)', () => {
  it('lets the author take a version waiting for review back to draft, recorded in the ledger', async () => {
    const notice = await submitted('张堂村村务公开：道路维修');
    expect(notice.working?.state).toBe('pending_review');
    const res = await clients.editor.post<Notice>(`/api/notices/${notice.id}/recall`);
    expect(res.status).toBe(200);
    const recalled = data(res.body);
    expect(recalled.working).toMatchObject({ state: 'draft', submittedBy: null, submittedAt: null });
    expect(recalled.working?.contentHash).toBe(notice.working?.contentHash);
    const records = await ledgerOf(notice.id);
    expect(records.map((r) => r.type)).toEqual(['notice.created', 'notice.submitted', 'notice.recalled']);
    const recall = records.at(-1);
    expect(recall).toMatchObject({ versionId: notice.working?.id, contentHash: notice.working?.contentHash });
    expect(parseLedgerEntry(recall as { type: string })).toMatchObject({ type: 'notice.recalled', versionId: notice.working?.id });
    // A draft again: the author may edit and submit it once more.
    const again = data((await clients.editor.post<Notice>(`/api/notices/${notice.id}/submit`)).body);
    expect(again.working?.state).toBe('pending_review');
  });

  it('refuses someone who neither submitted nor administers, and changes nothing', async () => {
    const notice = await submitted('张堂村村务公开：水渠清淤');
    const refused = await clients.reviewer.post(`/api/notices/${notice.id}/recall`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ ok: false, error: 'forbidden', message: expect.stringContaining('仅提交人或管理员可撤回提交') });
    const after = data((await clients.editor.get<Notice>(`/api/notices/${notice.id}`)).body);
    expect(after.working?.state).toBe('pending_review');
    expect((await ledgerOf(notice.id)).map((r) => r.type)).toEqual(['notice.created', 'notice.submitted']);
  });

  it('lets an admin recall another staff member’s submission', async () => {
    const notice = await submitted('张堂村村务公开：路灯更换');
    const recalled = data((await clients.admin.post<Notice>(`/api/notices/${notice.id}/recall`)).body);
    expect(recalled.working?.state).toBe('draft');
    expect((await ledgerOf(notice.id)).at(-1)).toMatchObject({ type: 'notice.recalled', actorId: expect.any(String) });
  });

  it('refuses a notice that is not waiting for review (a draft, a published one) and a body it does not take', async () => {
    const notice = await submitted('张堂村村务公开：垃圾清运');
    const approved = data((await clients.reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(approved.live).not.toBeNull();
    const late = await clients.editor.post(`/api/notices/${notice.id}/recall`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'invalid_transition', message: expect.stringContaining('只有待审核的稿件可以撤回提交') });
    const other = await submitted('张堂村村务公开：广场修缮');
    const withBody = await clients.editor.post(`/api/notices/${other.id}/recall`, { reason: 'x' });
    expect(withBody.status).toBe(400);
    expect(data((await clients.editor.get<Notice>(`/api/notices/${other.id}`)).body).working?.state).toBe('pending_review');
  });
});
