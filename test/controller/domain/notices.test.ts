import { describe, expect, it } from 'vitest';
import { type Actor, draftNotice, noticeContentHash, targetsVillage, transition } from '../../../controller/domain/notices.js';
import { compilePlaylist, rotationSeconds } from '../../../controller/domain/playlist.js';
import type { Notice } from '../../../controller/protocol/index.js';

const editor: Actor = { id: 'u-editor', roles: ['editor'] };
const reviewer: Actor = { id: 'u-reviewer', roles: ['reviewer'] };
const T0 = Date.UTC(2026, 10, 1);

function draft(overrides: Partial<Parameters<typeof draftNotice>[0]> = {}): Notice {
  return draftNotice(
    { title: '公示', body: '正文', target: { scope: 'villages', villageIds: ['v1'] }, startsAt: null, endsAt: null, ...overrides },
    { id: 'n1', issuer: '彪角镇人民政府', author: editor, now: T0 },
  );
}

function approved(overrides: Partial<Parameters<typeof draftNotice>[0]> = {}): Notice {
  const submitted = transition(draft(overrides), { type: 'submit' }, editor, T0 + 1);
  if (!submitted.ok) throw new Error(submitted.message);
  const result = transition(submitted.notice, { type: 'approve' }, reviewer, T0 + 2);
  if (!result.ok) throw new Error(result.message);
  return result.notice;
}

describe('notice lifecycle', () => {
  it('goes draft → pending_review → approved, recording who and when', () => {
    const notice = approved();
    expect(notice).toMatchObject({ state: 'approved', submittedAt: T0 + 1, approvedBy: 'u-reviewer', approvedAt: T0 + 2 });
  });

  it('refuses to approve a draft, or anything twice', () => {
    expect(transition(draft(), { type: 'approve' }, reviewer, T0)).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(transition(approved(), { type: 'approve' }, reviewer, T0)).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(transition(approved(), { type: 'submit' }, editor, T0)).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('lets only reviewers and admins approve, reject and withdraw', () => {
    const pending = transition(draft(), { type: 'submit' }, editor, T0);
    if (!pending.ok) throw new Error('submit failed');
    expect(transition(pending.notice, { type: 'approve' }, editor, T0)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(transition(pending.notice, { type: 'reject', reason: 'x' }, editor, T0)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(transition(pending.notice, { type: 'reject', reason: '数据有误' }, { id: 'a', roles: ['admin'] }, T0)).toMatchObject({
      ok: true,
      notice: { state: 'rejected' },
    });
    expect(transition(approved(), { type: 'withdraw', reason: '错误' }, reviewer, T0)).toMatchObject({
      ok: true,
      notice: { state: 'withdrawn' },
    });
  });

  it('does not mutate its input', () => {
    const notice = draft();
    const copy = structuredClone(notice);
    transition(notice, { type: 'submit' }, editor, T0);
    expect(notice).toEqual(copy);
  });

  it('hashes exactly the displayed content', () => {
    const a = draft();
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(draft().contentHash).toBe(a.contentHash);
    expect(draft({ title: '公示 ' }).contentHash).not.toBe(a.contentHash);
    expect(noticeContentHash({ ...a, title: a.title })).toBe(a.contentHash);
  });

  it('targets the whole town or the listed villages', () => {
    expect(targetsVillage({ scope: 'town' }, 'v9')).toBe(true);
    expect(targetsVillage({ scope: 'villages', villageIds: ['v1', 'v2'] }, 'v2')).toBe(true);
    expect(targetsVillage({ scope: 'villages', villageIds: ['v1'] }, 'v2')).toBe(false);
  });
});

describe('compilePlaylist', () => {
  it('holds the approved, unexpired notices for the device’s village', () => {
    const mine = approved();
    const other = { ...approved({ target: { scope: 'villages', villageIds: ['v2'] } }), id: 'n2' };
    const ended = { ...approved({ endsAt: T0 + 10 }), id: 'n3' };
    const pending = { ...draft(), id: 'n4' };
    const playlist = compilePlaylist([mine, other, ended, pending], { villageId: 'v1' }, T0 + 100);
    expect(playlist.items.map((i) => i.noticeId)).toEqual(['n1']);
    expect(playlist.items[0]?.contentHash).toBe(mine.contentHash);
  });

  it('derives the version from the items, not the time', () => {
    const notices = [approved()];
    expect(compilePlaylist(notices, { villageId: 'v1' }, T0).version).toBe(
      compilePlaylist(notices, { villageId: 'v1' }, T0 + 5000).version,
    );
    expect(compilePlaylist([], { villageId: 'v1' }, T0).version).not.toBe(compilePlaylist(notices, { villageId: 'v1' }, T0).version);
  });

  it('keeps rotation time within bounds, longer for longer texts', () => {
    expect(rotationSeconds('短', '')).toBe(10);
    expect(rotationSeconds('标题', '字'.repeat(5000))).toBe(36); // 6 + (2 + 240) / 8
    expect(rotationSeconds('标'.repeat(200), '字'.repeat(5000))).toBe(45);
  });
});
