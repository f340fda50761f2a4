/**
 * The notice lifecycle as a pure state machine: functions of (notice, action,
 * actor, now) that return the next notice or a refusal. No I/O, no clock.
 *
 * draft → pending_review → approved → expired
 *           ↘ rejected → draft        ↘ withdrawn
 */
import type { Notice, NoticeState, NoticeTarget, Role } from '../protocol/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';

export interface Actor {
  id: string;
  roles: readonly Role[];
}

export interface NoticeDraftInput {
  title: string;
  body: string;
  target: NoticeTarget;
  startsAt: number | null;
  endsAt: number | null;
}

export type NoticeAction =
  { type: 'submit' } | { type: 'approve' } | { type: 'reject'; reason: string } | { type: 'withdraw'; reason: string } | { type: 'expire' };

export type TransitionResult = { ok: true; notice: Notice } | { ok: false; error: 'invalid_transition' | 'forbidden'; message: string };

/** SHA-256 over exactly what a villager sees, so a display record names the words that were shown. */
export function noticeContentHash(content: Pick<Notice, 'title' | 'body' | 'issuer' | 'target' | 'startsAt' | 'endsAt'>): string {
  const { title, body, issuer, target, startsAt, endsAt } = content;
  return sha256Hex(canonicalJson({ title, body, issuer, target, startsAt, endsAt }));
}

export function draftNotice(input: NoticeDraftInput, context: { id: string; issuer: string; author: Actor; now: number }): Notice {
  const content = { ...input, issuer: context.issuer };
  return {
    id: context.id,
    ...content,
    state: 'draft',
    contentHash: noticeContentHash(content),
    createdBy: context.author.id,
    createdAt: context.now,
    updatedAt: context.now,
    submittedAt: null,
    approvedBy: null,
    approvedAt: null,
  };
}

const REVIEWER_ROLES: readonly Role[] = ['reviewer', 'admin'];

function refuse(error: 'invalid_transition' | 'forbidden', message: string): TransitionResult {
  return { ok: false, error, message };
}

function from(notice: Notice, allowed: readonly NoticeState[], verb: string): TransitionResult | null {
  return allowed.includes(notice.state)
    ? null
    : refuse('invalid_transition', `cannot ${verb} a notice that is ${notice.state}; only ${allowed.join(' or ')} notices can be`);
}

export function transition(notice: Notice, action: NoticeAction, actor: Actor, now: number): TransitionResult {
  const isReviewer = actor.roles.some((r) => REVIEWER_ROLES.includes(r));
  switch (action.type) {
    case 'submit':
      return (
        from(notice, ['draft'], 'submit') ?? { ok: true, notice: { ...notice, state: 'pending_review', submittedAt: now, updatedAt: now } }
      );
    case 'approve':
      if (!isReviewer) return refuse('forbidden', 'only a reviewer or an admin may approve notices');
      return (
        from(notice, ['pending_review'], 'approve') ?? {
          ok: true,
          notice: { ...notice, state: 'approved', approvedBy: actor.id, approvedAt: now, updatedAt: now },
        }
      );
    case 'reject':
      if (!isReviewer) return refuse('forbidden', 'only a reviewer or an admin may reject notices');
      return from(notice, ['pending_review'], 'reject') ?? { ok: true, notice: { ...notice, state: 'rejected', updatedAt: now } };
    case 'withdraw':
      if (!isReviewer) return refuse('forbidden', 'only a reviewer or an admin may withdraw notices');
      return from(notice, ['approved'], 'withdraw') ?? { ok: true, notice: { ...notice, state: 'withdrawn', updatedAt: now } };
    case 'expire':
      return from(notice, ['approved'], 'expire') ?? { ok: true, notice: { ...notice, state: 'expired', updatedAt: now } };
    default:
      return assertNever(action);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** Whether a notice is meant for a device in `villageId`. */
export function targetsVillage(target: NoticeTarget, villageId: string): boolean {
  switch (target.scope) {
    case 'town':
      return true;
    case 'villages':
      return target.villageIds.includes(villageId);
    default:
      return assertNever(target);
  }
}
