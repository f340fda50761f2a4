import { describe, expect, it } from 'vitest';
import { noticeActions } from '../../admin/lib/permissions';
import { ADMIN, EDITOR, REVIEWER, content, noticeOf, staffUser, version } from './fakes';

const pending = noticeOf([version({ state: 'pending_review', editors: [EDITOR.id], submittedBy: EDITOR.id })]);
const published = noticeOf([version({ state: 'approved' })]);

describe('what the signed-in user may do', () => {
  it('lets a reviewer review a version others wrote, but not their own (four eyes)', () => {
    expect(noticeActions(REVIEWER, pending)).toMatchObject({ review: true, ownVersion: false });
    const ownPending = noticeOf([version({ state: 'pending_review', editors: [ADMIN.id], submittedBy: ADMIN.id })]);
    expect(noticeActions(ADMIN, ownPending)).toMatchObject({ review: false, ownVersion: true });
  });

  it('counts a reviewer who only submitted the version as its author too', () => {
    const submittedByReviewer = noticeOf([version({ state: 'pending_review', editors: [EDITOR.id], submittedBy: REVIEWER.id })]);
    expect(noticeActions(REVIEWER, submittedByReviewer).review).toBe(false);
  });

  it('never lets an editor review or withdraw', () => {
    expect(noticeActions(EDITOR, pending)).toMatchObject({ review: false, ownVersion: false, withdraw: false, edit: false });
    expect(noticeActions(EDITOR, published)).toMatchObject({ revise: true, withdraw: false });
  });

  it('offers revising and withdrawing only on a published notice without a revision in progress', () => {
    expect(noticeActions(REVIEWER, published)).toMatchObject({ revise: true, withdraw: true, edit: false });
    const revising = noticeOf([version({ id: 'a', state: 'approved' }), version({ id: 'b', number: 2, state: 'draft' })]);
    expect(noticeActions(REVIEWER, revising)).toMatchObject({ revise: false, edit: true, withdraw: true });
  });

  it('keeps an editor limited to a village away from other villages’ notices', () => {
    const limited = staffUser({ id: 'u-v1', roles: ['editor'], villageIds: ['v1'] });
    const forV2 = noticeOf([version({ content: content({ target: { scope: 'villages', villageIds: ['v2'] } }) })]);
    const forV1 = noticeOf([version({ content: content({ target: { scope: 'villages', villageIds: ['v1'] } }) })]);
    expect(noticeActions(limited, forV2).edit).toBe(false);
    expect(noticeActions(limited, forV1).edit).toBe(true);
  });
});
