/**
 * What the signed-in user may do, to hide or disable what they may not. The
 * controller is the authority: these only spare staff a refusal, and the app
 * still shows the controller's answer when it refuses.
 */
import type { Notice, NoticeTarget, NoticeVersion, Role, StaffUser, Village } from '@protocol';
import type { Section } from './route';

const hasRole = (user: StaffUser, roles: readonly Role[]): boolean => user.roles.some((r) => roles.includes(r));

export const isAdmin = (user: StaffUser): boolean => user.roles.includes('admin');
export const canWrite = (user: StaffUser): boolean => hasRole(user, ['editor', 'reviewer', 'admin']);
export const canReview = (user: StaffUser): boolean => hasRole(user, ['reviewer', 'admin']);

/** Whether the user wrote or submitted `version`: the four-eyes rule keeps them from reviewing it. */
export function isOwnVersion(user: StaffUser, version: NoticeVersion): boolean {
  return version.editors.includes(user.id) || version.submittedBy === user.id || version.createdBy === user.id;
}

/**
 * The villages the user is limited to, or null when town-wide: as the controller's `scopeOf`, an editor with
 * villages set is limited to them; reviewers, admins and editors without villages are town-wide.
 */
export function villageScope(user: StaffUser): readonly string[] | null {
  return user.villageIds.length === 0 || canReview(user) ? null : user.villageIds;
}

/** The town's villages the user may act for: all of them when town-wide, else theirs (in the town's order). */
export function ownVillages(user: StaffUser, villages: readonly Village[]): Village[] {
  const scope = villageScope(user);
  return scope === null ? [...villages] : villages.filter((v) => scope.includes(v.id));
}

/** Whether the user may write for `target` (editors may be limited to their villages; empty = no limit). */
export function mayTarget(user: StaffUser, target: NoticeTarget): boolean {
  const scope = villageScope(user);
  if (scope === null) return true;
  return target.scope === 'villages' && target.villageIds.every((id) => scope.includes(id));
}

/** Whether the main menu offers `section` to the user: review to reviewers and admins, users to admins. */
export function mayOpen(user: StaffUser, section: Section): boolean {
  return section === 'review' ? canReview(user) : section === 'users' ? isAdmin(user) : true;
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
