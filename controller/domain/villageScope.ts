/**
 * The village scope (issue 12 point 6): an editor limited to villages (`user.villageIds`) reads and writes for
 * those villages only. One rule for every route and socket event that names a village or answers with a
 * village's data: lists keep only what is the user's (the registers: their villages' rows), a town-wide document
 * is cut down to their village (the annual report: that village's figures, titled as such), and a request naming
 * another village — or the whole town, where the answer cannot be limited — is refused with a message naming the
 * village. An admin's change to a user's villages reaches their open admin sockets at once (realtime/admin.ts).
 * Reviewers, admins and editors without a limit are town-wide (scope `null`).
 */
import type { Failure, NoticeTarget, Role } from '../protocol/index.js';
import { fail } from '../protocol/index.js';

/** The villages a user is limited to, or null when town-wide. */
export type VillageScope = readonly string[] | null;

/** The villages a staff member is limited to, or null when town-wide (no limit set, or a reviewer or admin). */
export function scopeOf(actor: { roles: readonly Role[]; villageIds?: readonly string[] }): VillageScope {
  const limit = actor.villageIds ?? [];
  return limit.length === 0 || actor.roles.includes('reviewer') || actor.roles.includes('admin') ? null : limit;
}

/** Whether `villageId` (null: the whole town) is within `scope`. */
export function inScope(scope: VillageScope, villageId: string | null): boolean {
  return scope === null || (villageId !== null && scope.includes(villageId));
}

/** Keeps the items of the villages in `scope` (everything when town-wide). */
export function withinScope<T>(scope: VillageScope, items: readonly T[], villageOf: (item: T) => string | null): T[] {
  return scope === null ? [...items] : items.filter((item) => inScope(scope, villageOf(item)));
}

/** Whether a notice target is wholly within `scope` (a town-wide target is not, for a limited user). */
export function targetInScope(scope: VillageScope, target: NoticeTarget): boolean {
  return scope === null || (target.scope === 'villages' && target.villageIds.every((id) => scope.includes(id)));
}

/** The 403 for a request naming a village (null: the whole town) outside the user's villages, with `field` named. */
export function outOfScope(scope: readonly string[], villageId: string | null, field: string): Failure {
  const mine = scope.join(', ');
  return villageId === null
    ? fail(
        'forbidden',
        `${field}: 只能查看或办理所辖村（${mine}）的事项，不能针对全镇；you are limited to your villages (${mine}) and may not act for the whole town`,
        { [field]: `choose one of your villages: ${mine} (请选择所辖村：${mine})` },
      )
    : fail(
        'forbidden',
        `${field}: 村 ${villageId} 不在您的所辖村（${mine}）之内；village ${villageId} is not one of your villages (${mine})`,
        { [field]: `village ${villageId} is not one of your villages: ${mine} (村 ${villageId} 不是您的所辖村：${mine})` },
      );
}

/** The refusal when a notice target is not wholly within `scope`, naming the first village outside it. */
export function refuseTarget(scope: VillageScope, target: NoticeTarget, field = 'target.villageIds'): Failure | null {
  return refuseOutside(scope, target.scope === 'town' ? [null] : target.villageIds, field);
}

/** The refusal when any of `villageIds` (null: the whole town) is outside `scope`, or null when all are within. */
export function refuseOutside(scope: VillageScope, villageIds: readonly (string | null)[], field: string): Failure | null {
  if (scope === null) return null;
  const outside = villageIds.find((id) => !inScope(scope, id));
  return outside === undefined ? null : outOfScope(scope, outside, field);
}

/**
 * The village a report is computed for: the one asked for, when it is the user's; for a limited user who
 * names none, their village when they have one (a whole-town answer would show others' data) — refused otherwise.
 */
export function reportVillage(scope: VillageScope, asked: string | undefined): { ok: true; villageId: string | undefined } | Failure {
  if (scope === null) return { ok: true, villageId: asked };
  if (asked !== undefined) return inScope(scope, asked) ? { ok: true, villageId: asked } : outOfScope(scope, asked, 'villageId');
  return scope.length === 1 ? { ok: true, villageId: scope[0] } : outOfScope(scope, null, 'villageId');
}
