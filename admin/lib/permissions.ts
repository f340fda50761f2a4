/**
 * What the signed-in user may do, to hide or disable what they may not. The
 * controller is the authority: these only spare staff a refusal, and the app
 * still shows the controller's answer when it refuses.
 */
import type { Notice, NoticeTarget, NoticeVersion, Role, StaffUser } from '@protocol';

const hasRole = (user: StaffUser, roles: readonly Role[]): boolean => user.roles.some((r) => roles.includes(r));

export const isAdmin = (user: StaffUser): boolean => user.roles.includes('admin');
export const canWrite = (user: StaffUser): boolean => hasRole(user, ['editor', 'reviewer', 'admin']);
export const canReview = (user: StaffUser): boolean => hasRole(user, ['reviewer', 'admin']);

/** Whether the user wrote or submitted `version`: the four-eyes rule keeps them from reviewing it. */
export function isOwnVersion(user: StaffUser, version: NoticeVersion): boolean {
  return version.editors.includes(user.id) || version.submittedBy === user.id || version.createdBy === user.id;
}

/** Whether the user may write for `target` (editors may be limited to their villages; empty = no limit). */
export function mayTarget(user: StaffUser, target: NoticeTarget): boolean {
  if (user.villageIds.length === 0 || canReview(user)) return true;
  return target.scope === 'villages' && target.villageIds.every((id) => user.villageIds.includes(id));
}

/** The lifecycle steps open to `user` on `notice` now. */
export interface NoticeActions {
  /** Change the draft or rejected version. */
  edit: boolean;
  /** Start a revision (修改) or a correction (更正) of the published version. */
  revise: boolean;
  review: boolean;
  /** Why review is closed to this user although the notice waits for it (four-eyes). */
  ownVersion: boolean;
  /** An emergency warning the user wrote: they may approve it alone on the fast path, recorded as such. */
  fastPath: boolean;
  /** 撤回 the published version. */
  withdraw: boolean;
  /** 撤回提交: take the version waiting for review back to draft (who submitted or wrote it, or an admin). */
  recall: boolean;
}

export function noticeActions(user: StaffUser, notice: Notice): NoticeActions {
  const working = notice.working;
  const writer = canWrite(user) && mayTarget(user, notice.target);
  const pending = working?.state === 'pending_review';
  const own = pending && working !== null && isOwnVersion(user, working);
  return {
    edit: writer && working !== null && !pending,
    revise: writer && notice.live !== null && working === null,
    review: canReview(user) && pending && !own,
    ownVersion: canReview(user) && own,
    fastPath: canReview(user) && own && (working?.content.emergency ?? null) !== null,
    withdraw: canReview(user) && notice.live !== null,
    recall: pending && working !== null && (isAdmin(user) || working.submittedBy === user.id || working.createdBy === user.id),
  };
}
