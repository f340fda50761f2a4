/**
 * The notice lifecycle as a pure state machine over a notice's versions:
 * functions of (notice, input, actor, now) returning the next notice or a
 * refusal. No I/O and no clock; the caller supplies ids, time and scan results.
 *
 *   draft → pending_review → approved → (live by its window) → expired
 *                ↘ rejected → draft (edited)     ↘ withdrawn (撤回)
 *   approved + edit → new draft version (revisionOf; 更正 if a correction)
 *                    → on its approval the old version is superseded
 */
import type {
  Attestation,
  LateStart,
  LateStartDecision,
  LateStartRecord,
  NoticeContent,
  NoticeTarget,
  NoticeVersion,
  Role,
  VersionState,
} from '../protocol/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { refuseTarget, scopeOf } from './villageScope.js';

export interface Actor {
  id: string;
  roles: readonly Role[];
  /** For editors limited to villages; empty = town-wide. */
  villageIds?: readonly string[];
}

/** A notice as stored: its versions, oldest first. */
export interface NoticeRecord {
  id: string;
  createdBy: string;
  createdAt: number;
  versions: NoticeVersion[];
}

export type Refusal = {
  ok: false;
  error: 'invalid_transition' | 'forbidden' | 'privacy_blocked' | 'invalid_payload';
  message: string;
  /** The request field to fix, for forms that show the error beside it. */
  fields?: Record<string, string>;
};
export type Step = { ok: true; notice: NoticeRecord; version: NoticeVersion } | Refusal;

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** SHA-256 over exactly what staff wrote and villagers see. */
export function contentHash(content: NoticeContent): string {
  return sha256Hex(canonicalJson(content));
}

const WORKING: readonly VersionState[] = ['draft', 'pending_review', 'rejected'];

export function liveVersion(notice: NoticeRecord): NoticeVersion | null {
  return notice.versions.find((v) => v.state === 'approved') ?? null;
}

export function workingVersion(notice: NoticeRecord): NoticeVersion | null {
  return notice.versions.find((v) => WORKING.includes(v.state)) ?? null;
}

export function isReviewer(actor: Actor): boolean {
  return actor.roles.includes('reviewer') || actor.roles.includes('admin');
}

/** The villages a staff member is limited to, or null when town-wide (domain/villageScope.ts). */
export function villageScope(actor: Actor): readonly string[] | null {
  return scopeOf(actor);
}

/** The refusal, naming the village, when an editor limited to villages writes for `target` outside them. */
function refuseTargetOf(actor: Actor, target: NoticeTarget): Refusal | null {
  const failure = refuseTarget(scopeOf(actor), target);
  return failure && { ok: false, error: 'forbidden', message: failure.message, ...(failure.fields && { fields: failure.fields }) };
}

/** Whether an editor limited to villages may write for `target`. */
export function mayTarget(actor: Actor, target: NoticeTarget): boolean {
  const limit = villageScope(actor);
  return limit === null || (target.scope === 'villages' && target.villageIds.every((id) => limit.includes(id)));
}

/**
 * Whether an editor limited to villages may read a notice: one that names any of their villages, or one that
 * is published (its public page shows it to anyone). Another village's drafts and town-wide drafts are not theirs.
 */
export function mayRead(actor: Actor, notice: { target: NoticeTarget; published: boolean }): boolean {
  const limit = villageScope(actor);
  return (
    limit === null || notice.published || (notice.target.scope === 'villages' && notice.target.villageIds.some((id) => limit.includes(id)))
  );
}

function refuse(error: Refusal['error'], message: string): Refusal {
  return { ok: false, error, message };
}

function withVersion(notice: NoticeRecord, version: NoticeVersion, others: (v: NoticeVersion) => NoticeVersion = (v) => v): Step {
  const exists = notice.versions.some((v) => v.id === version.id);
  const versions = notice.versions.map((v) => (v.id === version.id ? version : others(v)));
  return { ok: true, notice: { ...notice, versions: exists ? versions : [...versions, version] }, version };
}

function newVersion(noticeId: string, id: string, number: number, content: NoticeContent, actor: Actor, now: number): NoticeVersion {
  return {
    id,
    noticeId,
    number,
    content,
    contentHash: contentHash(content),
    state: 'draft',
    revisionOf: null,
    correction: null,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
    editors: [actor.id],
    submittedBy: null,
    submittedAt: null,
    privacyOverrideRequest: null,
    review: null,
    startsAt: null,
    endsAt: null,
    withdrawal: null,
    endedAt: null,
  };
}

export function createNotice(content: NoticeContent, ids: { noticeId: string; versionId: string }, actor: Actor, now: number): Step {
  const outside = refuseTargetOf(actor, content.target);
  if (outside) return outside;
  const version = newVersion(ids.noticeId, ids.versionId, 1, content, actor, now);
  return { ok: true, notice: { id: ids.noticeId, createdBy: actor.id, createdAt: now, versions: [version] }, version };
}

/**
 * Changes the content. A draft or rejected version is edited in place (a
 * rejected one becomes a draft again); a published notice gets a new draft
 * version that must be reviewed while the approved one keeps showing.
 */
export function editNotice(
  notice: NoticeRecord,
  content: NoticeContent,
  input: { newVersionId: string; correctionReason?: string | undefined },
  actor: Actor,
  now: number,
): Step {
  const working = workingVersion(notice);
  const live = liveVersion(notice);
  const current = working ?? live;
  if (!current) return refuse('invalid_transition', 'this notice was withdrawn or has expired; write a new notice instead');
  const outside = refuseTargetOf(actor, current.content.target) ?? refuseTargetOf(actor, content.target);
  if (outside) return outside;
  if (working?.state === 'pending_review')
    return refuse('invalid_transition', 'this version is waiting for review; ask a reviewer to reject it before editing');
  if (working) {
    const edited: NoticeVersion = {
      ...working,
      content,
      contentHash: contentHash(content),
      state: 'draft',
      correction: working.revisionOf && input.correctionReason ? { reason: input.correctionReason } : working.correction,
      updatedAt: now,
      editors: working.editors.includes(actor.id) ? working.editors : [...working.editors, actor.id],
    };
    return withVersion(notice, edited);
  }
  const revision: NoticeVersion = {
    ...newVersion(notice.id, input.newVersionId, Math.max(...notice.versions.map((v) => v.number)) + 1, content, actor, now),
    revisionOf: live?.id ?? null,
    correction: input.correctionReason ? { reason: input.correctionReason } : null,
  };
  return withVersion(notice, revision);
}

/** Applies `change` to the working draft's content (e.g. masking); refuses outside draft/rejected. */
export function reviseDraft(notice: NoticeRecord, change: (c: NoticeContent) => NoticeContent, actor: Actor, now: number): Step {
  const working = workingVersion(notice);
  if (!working || working.state === 'pending_review')
    return refuse('invalid_transition', 'only a draft can be changed; this notice has none');
  return editNotice(notice, change(working.content), { newVersionId: working.id }, actor, now);
}

export interface SubmitInput {
  /** Personal data the scanner still finds in the content. */
  privacyHits: number;
  privacyOverrideRequest?: string | undefined;
  window: { startsAt: number | null; endsAt: number | null };
}

export function submitNotice(notice: NoticeRecord, input: SubmitInput, actor: Actor, now: number): Step {
  const working = workingVersion(notice);
  if (!working || working.state !== 'draft')
    return refuse('invalid_transition', `only a draft can be submitted; this notice is ${working?.state ?? 'not being edited'}`);
  const outside = refuseTargetOf(actor, working.content.target);
  if (outside) return outside;
  if (input.privacyHits > 0 && !input.privacyOverrideRequest) {
    return refuse(
      'privacy_blocked',
      `the text still contains ${input.privacyHits} unmasked personal data item(s); mask them, or give a reason for the reviewer (含未脱敏个人信息)`,
    );
  }
  return withVersion(notice, {
    ...working,
    state: 'pending_review',
    submittedBy: actor.id,
    submittedAt: now,
    privacyOverrideRequest: input.privacyHits > 0 ? (input.privacyOverrideRequest ?? null) : null,
    startsAt: input.window.startsAt,
    endsAt: input.window.endsAt,
    updatedAt: now,
  });
}

function reviewable(notice: NoticeRecord, actor: Actor, verb: string, fastPath = false): NoticeVersion | Refusal {
  if (!isReviewer(actor)) return refuse('forbidden', `only a reviewer may ${verb} notices (仅审核人可操作)`);
  const working = workingVersion(notice);
  if (!working || working.state !== 'pending_review') {
    const now = working?.state ?? liveVersion(notice)?.state ?? notice.versions.at(-1)?.state ?? 'empty';
    return refuse('invalid_transition', `only a version waiting for review can be ${verb}d; this notice is ${now}`);
  }
  if (fastPath && !working.content.emergency) {
    return refuse('forbidden', 'the one-reviewer fast path is only for emergency warnings (仅应急预警可快速签发)');
  }
  if (!fastPath && (working.editors.includes(actor.id) || working.submittedBy === actor.id)) {
    return refuse('forbidden', `nobody may ${verb} their own version; ask another reviewer (不能审核自己的稿件)`);
  }
  return working;
}

export interface ApproveInput {
  attestation: Attestation;
  privacyHits: number;
  privacyOverride?: { reason: string } | undefined;
  /** Emergencies only: one reviewer may write and approve, recorded as such. */
  fastPath?: boolean | undefined;
  /** The longest a fast-path warning may run from its approval to its expiry (the town's `fastPathMaxHours`). */
  fastPathMaxMs?: number | undefined;
  /** The 公示期 starts before the approval day (null when it does not, or for an emergency), and how the reviewer settles it. */
  lateStart?: { facts: LateStart | null; decision: LateStartDecision | undefined } | undefined;
}

/**
 * A period already under way loses its past days; 顺延 moves it to start on the approval day, the end by
 * the same rule. A period wholly over reaches no screen, so it is approved as it is only with a reason.
 */
function settleLateStart(
  version: NoticeVersion,
  late: ApproveInput['lateStart'],
): { version: NoticeVersion; record: LateStartRecord | null } | Refusal {
  const facts = late?.facts ?? null;
  if (!facts) return { version, record: null };
  const decision = late?.decision ?? {};
  if (facts.wholePast && !decision.shift && !decision.reason) {
    const message = `the whole posting period (${facts.planned.start} – ${facts.planned.end ?? ''}) is already over; move the start to today (顺延), or give the reason for approving it as it is (公示期已全部过去)`;
    return { ok: false, error: 'invalid_payload', message, fields: { 'lateStart.reason': message } };
  }
  const record: LateStartRecord = {
    plannedStart: facts.planned.start,
    lostDays: facts.lostDays,
    wholePast: facts.wholePast,
    shiftedTo: decision.shift ? facts.shifted.start : null,
    reason: decision.shift ? null : (decision.reason ?? null),
  };
  if (!decision.shift) return { version, record };
  const content: NoticeContent = { ...version.content, posting: { start: facts.shifted.start, rule: facts.shifted.rule } };
  const shifted = {
    ...version,
    content,
    contentHash: contentHash(content),
    startsAt: facts.shifted.window.startsAt,
    endsAt: facts.shifted.window.endsAt,
  };
  return { version: shifted, record };
}

/**
 * One reviewer alone may publish a warning for a bounded time only: its expiry at most `fastPathMaxMs` after the
 * approval. A longer one goes through a second reviewer, or gets an earlier expiry.
 */
function fastPathBound(version: NoticeVersion, input: ApproveInput, now: number): Refusal | null {
  const emergency = version.content.emergency;
  if (input.fastPath !== true || !emergency || input.fastPathMaxMs === undefined) return null;
  if (emergency.expiresAt - now <= input.fastPathMaxMs) return null;
  const hours = Math.round(input.fastPathMaxMs / 3_600_000);
  const message = `a warning one reviewer approves alone may run at most ${hours} hours; set an earlier expiry, or have a second reviewer approve it (单人快速签发的预警最长 ${hours} 小时：请提前解除时间，或由另一位审核人审核)`;
  return { ok: false, error: 'invalid_payload', message: `emergency.expiresAt: ${message}`, fields: { 'emergency.expiresAt': message } };
}

export function approveNotice(notice: NoticeRecord, input: ApproveInput, actor: Actor, now: number): Step {
  const working = reviewable(notice, actor, 'approve', input.fastPath === true);
  if ('ok' in working) return working;
  if (input.privacyHits > 0 && !input.privacyOverride) {
    return refuse(
      'privacy_blocked',
      `the text contains ${input.privacyHits} unmasked personal data item(s); reject it for masking, or override with a written reason`,
    );
  }
  const bound = fastPathBound(working, input, now);
  if (bound) return bound;
  const settled = settleLateStart(working, input.lateStart);
  if ('ok' in settled) return settled;
  const approved: NoticeVersion = {
    ...settled.version,
    state: 'approved',
    review: {
      decision: 'approved',
      by: actor.id,
      at: now,
      attestation: input.attestation,
      reason: input.attestation.opinion,
      privacyOverride: input.privacyHits > 0 ? (input.privacyOverride ?? null) : null,
      ...(input.fastPath === true ? { fastPath: true } : {}),
      ...(settled.record ? { lateStart: settled.record } : {}),
    },
    updatedAt: now,
  };
  return withVersion(notice, approved, (v) => (v.state === 'approved' ? { ...v, state: 'superseded', endedAt: now, updatedAt: now } : v));
}

export function rejectNotice(notice: NoticeRecord, reason: string, actor: Actor, now: number): Step {
  const working = reviewable(notice, actor, 'reject');
  if ('ok' in working) return working;
  return withVersion(notice, {
    ...working,
    state: 'rejected',
    review: { decision: 'rejected', by: actor.id, at: now, attestation: null, reason, privacyOverride: null },
    updatedAt: now,
  });
}

/** Whether `actor` may take back a submitted version: the one who submitted it or wrote it, or an admin. */
export function mayRecall(actor: Actor, version: NoticeVersion): boolean {
  return actor.roles.includes('admin') || version.submittedBy === actor.id || version.createdBy === actor.id;
}

/**
 * 撤回提交: a version waiting for review goes back to draft, unreviewed, so its author can change it. The
 * submission's facts (who, when, the privacy override request, the window computed at submission) are
 * cleared; the ledger keeps both the submission and the recall.
 */
export function recallNotice(notice: NoticeRecord, actor: Actor, now: number): Step {
  const working = workingVersion(notice);
  if (!working || working.state !== 'pending_review') {
    const state = working?.state ?? liveVersion(notice)?.state ?? notice.versions.at(-1)?.state ?? 'empty';
    return refuse(
      'invalid_transition',
      `only a version waiting for review can be recalled; this notice is ${state} (只有待审核的稿件可以撤回提交)`,
    );
  }
  const outside = refuseTargetOf(actor, working.content.target);
  if (outside) return outside;
  if (!mayRecall(actor, working)) {
    return refuse('forbidden', 'only the author who submitted this version, or an admin, may recall it (仅提交人或管理员可撤回提交)');
  }
  return withVersion(notice, {
    ...working,
    state: 'draft',
    submittedBy: null,
    submittedAt: null,
    privacyOverrideRequest: null,
    startsAt: null,
    endsAt: null,
    updatedAt: now,
  });
}

/** 撤回: the live version leaves every screen; an unpublished revision is dropped with it. */
export function withdrawNotice(notice: NoticeRecord, reason: string, actor: Actor, now: number): Step {
  if (!isReviewer(actor)) return refuse('forbidden', 'only a reviewer may withdraw notices (仅审核人可撤回)');
  const target = liveVersion(notice) ?? workingVersion(notice);
  if (!target) return refuse('invalid_transition', 'this notice is already withdrawn or expired');
  const withdrawal = { by: actor.id, at: now, reason };
  const end = (v: NoticeVersion): NoticeVersion =>
    v.state === 'approved' || WORKING.includes(v.state)
      ? { ...v, state: 'withdrawn', withdrawal, endedAt: v.state === 'approved' ? now : null, updatedAt: now }
      : v;
  return withVersion(notice, end(target), end);
}

/** A fast-path version no second reviewer has confirmed yet, and that was not withdrawn (it was public on one reviewer's word). */
export function awaitsConfirmation(version: NoticeVersion): boolean {
  return (
    version.review?.decision === 'approved' &&
    version.review.fastPath === true &&
    !version.review.confirmation &&
    (version.state === 'approved' || version.state === 'expired' || version.state === 'superseded')
  );
}

/**
 * A second reviewer confirms a warning one reviewer approved alone: any reviewer but the one who approved it and
 * those who wrote it. The warning stays as it is; withdrawing it is the other answer.
 */
export function confirmFastPath(notice: NoticeRecord, versionId: string, opinion: string, actor: Actor, now: number): Step {
  if (!isReviewer(actor)) return refuse('forbidden', 'only a reviewer may confirm a fast-path approval (仅审核人可确认)');
  const version = notice.versions.find((v) => v.id === versionId);
  if (!version || !version.review?.fastPath) {
    return {
      ok: false,
      error: 'invalid_payload',
      message: 'versionId: this version was not approved by one reviewer alone; there is nothing to confirm',
      fields: { versionId: 'not a fast-path approval (不是单人快速签发的版本)' },
    };
  }
  if (!awaitsConfirmation(version)) {
    const why = version.review.confirmation ? 'it is already confirmed (已确认)' : `this version is ${version.state}`;
    return refuse('invalid_transition', `nothing to confirm: ${why}`);
  }
  if (version.review.by === actor.id || version.editors.includes(actor.id) || version.submittedBy === actor.id) {
    return refuse('forbidden', 'a second reviewer must confirm it, not one who wrote or approved it (须由另一位审核人确认)');
  }
  const review = version.review;
  return withVersion(notice, { ...version, review: { ...review, confirmation: { by: actor.id, at: now, opinion } } });
}

/** The live version's window (or emergency) has ended. */
export function expireNotice(notice: NoticeRecord, now: number): Step | null {
  const live = liveVersion(notice);
  if (!live) return null;
  const emergencyOver = live.content.emergency !== null && live.content.emergency.expiresAt <= now;
  if (!emergencyOver && (live.endsAt === null || live.endsAt > now)) return null;
  return withVersion(notice, { ...live, state: 'expired', endedAt: now, updatedAt: now });
}

/** Names of the content fields that differ, for the ledger's "what changed". */
export function changedFields(before: NoticeContent | null, after: NoticeContent): string[] {
  const keys = Object.keys(after) as (keyof NoticeContent)[];
  if (!before) return keys;
  // An optional field (docType, docNumber…) the edit removed is a change too: it is in `before` only.
  for (const k of Object.keys(before) as (keyof NoticeContent)[]) if (!keys.includes(k)) keys.push(k);
  return keys.filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
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
