/**
 * Notice use cases: check against the current state, run the pure lifecycle
 * step, record it in the ledger, persist, announce. Steps on notices run one
 * at a time, so two reviewers cannot approve the same version twice.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import {
  type Actor,
  type NoticeRecord,
  type Step,
  approveNotice,
  awaitsConfirmation,
  changedFields,
  confirmFastPath,
  createNotice,
  editNotice,
  expireNotice,
  rejectNotice,
  reviseDraft,
  submitNotice,
  withdrawNotice,
  recallNotice,
  workingVersion,
} from '../domain/notices.js';
import { toNoticeView } from '../domain/noticeView.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type Attestation,
  type HolidayCalendar,
  type LateStartDecision,
  type ListNoticesQuery,
  type Notice,
  type NoticePage,
  type NoticeContent,
  type NoticeStepEntry,
  type NoticeContentInput,
  type NoticeVersion,
  type PendingConfirmation,
  DEFAULT_FAST_PATH_MAX_HOURS,
  civilDateOf,
  defaultRetention,
  fail,
  lateStart,
  listNoticesQuery,
  maskPii,
  ok,
  postingWindow,
  scanPii,
  startOfCivilDay,
} from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { StateStore } from '../store/state.js';
import { createSerial } from '../util/serial.js';

export interface NoticeService {
  /** `visible` narrows the list to what the asking staff member may read. */
  list(query: ListNoticesQuery, visible?: (notice: Notice) => boolean): NoticePage;
  get(id: string): Notice | undefined;
  create(input: NoticeContentInput, actor: Actor): Promise<Ack<Notice>>;
  edit(id: string, input: NoticeContentInput, correctionReason: string | undefined, actor: Actor): Promise<Ack<Notice>>;
  mask(id: string, actor: Actor): Promise<Ack<Notice>>;
  submit(id: string, privacyOverrideRequest: string | undefined, actor: Actor): Promise<Ack<Notice>>;
  approve(
    id: string,
    input: {
      attestation: Attestation;
      privacyOverride?: { reason: string } | undefined;
      fastPath?: true | undefined;
      lateStart?: LateStartDecision | undefined;
    },
    actor: Actor,
  ): Promise<Ack<Notice>>;
  /** A second reviewer confirms a warning one reviewer approved alone (its `versionId`). */
  confirm(id: string, versionId: string, opinion: string, actor: Actor): Promise<Ack<Notice>>;
  /** Warnings published on one reviewer's word that no second reviewer has confirmed, oldest first (withdrawn ones are done). */
  awaitingConfirmation(): PendingConfirmation[];
  reject(id: string, reason: string, actor: Actor): Promise<Ack<Notice>>;
  withdraw(id: string, reason: string, actor: Actor): Promise<Ack<Notice>>;
  /** 撤回提交: the version waiting for review goes back to draft (its author or an admin). */
  recall(id: string, actor: Actor): Promise<Ack<Notice>>;
  /** Moves every live version whose window or emergency has ended to expired. */
  expireDue(): Promise<number>;
}

/** Every free-text field of a notice that villagers read, 文号 and 发布单位 included. */
type ScannedContent = Pick<NoticeContent, 'title' | 'body' | 'ledText' | 'docNumber' | 'issuer'>;

/** Personal data still in what villagers would read. */
export function privacyHits(content: ScannedContent): number {
  return [content.title, content.body, content.ledText, content.docNumber ?? '', content.issuer].reduce(
    (n, text) => n + scanPii(text).length,
    0,
  );
}

export function createNoticeService(deps: {
  store: StateStore;
  ledger: Ledger;
  bus: EventBus;
  clock: Clock;
  calendar: () => HolidayCalendar;
  logger: Logger;
}): NoticeService {
  const serial = createSerial();
  const today = () => civilDateOf(deps.clock.now());
  const view = (record: NoticeRecord): Notice => toNoticeView(record, deps.calendar(), today());
  const find = (id: string): NoticeRecord | undefined => deps.store.read().notices.find((n) => n.id === id);

  /**
   * Fills the defaults the controller owns: issuer, dates, retention. An edit
   * keeps the dates of the version it edits, so a revision does not restart
   * the Art. 26 clock.
   */
  const complete = (input: NoticeContentInput, base?: NoticeContent): NoticeContent => ({
    title: input.title,
    body: input.body,
    ledText: input.ledText || input.title,
    category: input.category,
    keyAreas: [...new Set(input.keyAreas)],
    docNumber: input.docNumber,
    // Only when set, so the content hash of a notice without one is what it always was.
    ...(input.docType ? { docType: input.docType } : {}),
    issuer: input.issuer || deps.store.read().town.issuer,
    formedOn: input.formedOn ?? base?.formedOn ?? today(),
    target: input.target,
    posting: { start: input.posting.start ?? base?.posting.start ?? today(), rule: input.posting.rule },
    priority: input.priority,
    emergency: input.emergency,
    retention: input.retention ?? defaultRetention(input.category),
  });

  /** What the schema cannot know: the villages exist, the posting window is possible, an emergency has not already expired. */
  const problems = (content: NoticeContent): Ack<never> | null => {
    const unknown = unknownVillages(content);
    if (unknown.length > 0) {
      return fail('invalid_payload', `target.villageIds: unknown village ${unknown.join(', ')}; choose from the town's villages`, {
        'target.villageIds': `unknown village ${unknown.join(', ')}`,
      });
    }
    try {
      postingWindow(deps.calendar(), content.posting.rule, content.posting.start);
    } catch (error) {
      const message = error instanceof RangeError ? error.message : 'the posting period is not possible';
      return fail('invalid_payload', `posting: ${message}`, {
        [content.posting.rule.kind === 'until' ? 'posting.rule.end' : 'posting.rule']: message,
      });
    }
    if (content.emergency && content.emergency.expiresAt <= deps.clock.now()) {
      return fail('invalid_payload', 'emergency.expiresAt: the warning would already have expired; choose a later time', {
        'emergency.expiresAt': 'must be in the future (解除时间须晚于现在)',
      });
    }
    return null;
  };

  const unknownVillages = (content: NoticeContent): string[] => {
    if (content.target.scope !== 'villages') return [];
    const known = new Set(deps.store.read().villages.map((v) => v.id));
    return content.target.villageIds.filter((id) => !known.has(id));
  };

  /** Ledger first (a step not in the ledger did not happen), then state, then the news. */
  const commit = async (
    step: Step,
    entry: (version: NoticeVersion) => NoticeStepEntry | readonly NoticeStepEntry[],
    actor: Actor | null,
  ): Promise<Ack<Notice>> => {
    if (!step.ok) return fail(step.error, step.message, step.fields);
    const { notice, version } = step;
    const made = entry(version);
    const stamp = { noticeId: notice.id, versionId: version.id, contentHash: version.contentHash, actorId: actor?.id ?? 'system' };
    await recordThenSave(
      deps,
      (Array.isArray(made) ? made : [made]).map((e: NoticeStepEntry) => ({ ...e, ...stamp })),
      (s) => {
        const index = s.notices.findIndex((n) => n.id === notice.id);
        if (index < 0) s.notices.push(notice);
        else s.notices[index] = notice;
      },
    );
    const result = view(notice);
    deps.bus.emit('notice:changed', result);
    if (version.state !== 'draft' && version.state !== 'pending_review' && version.state !== 'rejected') deps.bus.emit('playlists:stale');
    deps.logger.info(`notice ${notice.id} v${version.number} ${version.state} by ${actor?.id ?? 'system'}`);
    return ok(result);
  };

  const withNotice = (id: string, run: (record: NoticeRecord) => Promise<Ack<Notice>>): Promise<Ack<Notice>> =>
    serial(async () => {
      const record = find(id);
      return record ? run(record) : fail('not_found', `no notice with id ${id}`);
    });

  return {
    list(raw, visible = () => true) {
      const q = listNoticesQuery.parse(raw);
      const from = q.from ? startOfCivilDay(q.from) : Number.NEGATIVE_INFINITY;
      const to = q.to ? startOfCivilDay(q.to) + 86_400_000 : Number.POSITIVE_INFINITY;
      const text = q.q?.toLowerCase();
      const all = deps.store
        .read()
        .notices.map(view)
        .filter((n) => {
          const content = (n.working ?? n.live ?? n.versions.at(-1))?.content;
          if (!content || !visible(n)) return false;
          // A revision waiting for review belongs in the review queue although its notice is published.
          if (q.state && n.state !== q.state && n.working?.state !== q.state) return false;
          if (q.category && n.category !== q.category) return false;
          if (q.villageId && n.target.scope === 'villages' && !n.target.villageIds.includes(q.villageId)) return false;
          if (n.updatedAt < from || n.updatedAt >= to) return false;
          return !text || `${content.title}\n${content.body}\n${content.docNumber ?? ''}`.toLowerCase().includes(text);
        })
        .sort((a, b) => b.updatedAt - a.updatedAt);
      const start = (q.page - 1) * q.pageSize;
      return { items: all.slice(start, start + q.pageSize), total: all.length, page: q.page, pageSize: q.pageSize };
    },

    get(id) {
      const record = find(id);
      return record ? view(record) : undefined;
    },

    create: (input, actor) =>
      serial(async () => {
        const content = complete(input);
        const invalid = problems(content);
        if (invalid) return invalid;
        const step = createNotice(content, { noticeId: randomUUID(), versionId: randomUUID() }, actor, deps.clock.now());
        return commit(step, () => ({ type: 'notice.created', changes: changedFields(null, content) }), actor);
      }),

    edit: (id, input, correctionReason, actor) =>
      withNotice(id, async (record) => {
        const before = record.versions.at(-1)?.content ?? null;
        const content = complete(input, before ?? undefined);
        const invalid = problems(content);
        if (invalid) return invalid;
        const step = editNotice(record, content, { newVersionId: randomUUID(), correctionReason }, actor, deps.clock.now());
        return commit(
          step,
          (v) => ({
            type: v.number > (record.versions.at(-1)?.number ?? 0) ? 'notice.revised' : 'notice.edited',
            changes: changedFields(before, content),
            correction: v.correction,
          }),
          actor,
        );
      }),

    mask: (id, actor) =>
      withNotice(id, async (record) => {
        const before = workingVersion(record)?.content ?? null;
        const step = reviseDraft(
          record,
          (c) => ({
            ...c,
            title: maskPii(c.title),
            body: maskPii(c.body),
            ledText: maskPii(c.ledText),
            docNumber: c.docNumber === null ? null : maskPii(c.docNumber),
            issuer: maskPii(c.issuer),
          }),
          actor,
          deps.clock.now(),
        );
        return commit(step, (v) => ({ type: 'notice.masked', changes: changedFields(before, v.content) }), actor);
      }),

    submit: (id, privacyOverrideRequest, actor) =>
      withNotice(id, async (record) => {
        const working = record.versions.find((v) => v.state === 'draft');
        const hits = working ? privacyHits(working.content) : 0;
        const window = working
          ? postingWindow(deps.calendar(), working.content.posting.rule, working.content.posting.start)
          : { startsAt: null, endsAt: null };
        const step = submitNotice(record, { privacyHits: hits, privacyOverrideRequest, window }, actor, deps.clock.now());
        return commit(
          step,
          (v) => ({ type: 'notice.submitted', privacyHits: hits, privacyOverrideRequest: v.privacyOverrideRequest }),
          actor,
        );
      }),

    approve: (id, input, actor) =>
      withNotice(id, async (record) => {
        const working = record.versions.find((v) => v.state === 'pending_review');
        const hits = working ? privacyHits(working.content) : 0;
        const content = working?.content;
        // An emergency runs to its own expiry, whatever its posting start.
        const facts =
          content && !content.emergency ? lateStart(deps.calendar(), content.posting.rule, content.posting.start, today()) : null;
        const maxHours = deps.store.read().settings.fastPathMaxHours ?? DEFAULT_FAST_PATH_MAX_HOURS;
        const step = approveNotice(
          record,
          { ...input, privacyHits: hits, lateStart: { facts, decision: input.lateStart }, fastPathMaxMs: maxHours * 3_600_000 },
          actor,
          deps.clock.now(),
        );
        return commit(
          step,
          (v): NoticeStepEntry[] => [
            {
              type: v.correction ? 'notice.corrected' : 'notice.approved',
              attestation: v.review?.attestation,
              privacyOverride: v.review?.privacyOverride,
              supersedes: v.revisionOf,
              ...(v.review?.fastPath ? { fastPath: true } : {}),
              ...(v.review?.lateStart ? { lateStart: v.review.lateStart, postingStart: v.content.posting.start } : {}),
            },
            // Published on one reviewer's word: a second is asked to confirm it, in the same write.
            ...(v.review?.fastPath && v.content.emergency
              ? [{ type: 'notice.confirmation-requested' as const, expiresAt: v.content.emergency.expiresAt, maxHours }]
              : []),
          ],
          actor,
        );
      }),

    confirm: (id, versionId, opinion, actor) =>
      withNotice(id, async (record) => {
        const approvedBy = record.versions.find((v) => v.id === versionId)?.review?.by ?? '';
        return commit(
          confirmFastPath(record, versionId, opinion, actor, deps.clock.now()),
          () => ({ type: 'notice.fast-path-confirmed', opinion, approvedBy }),
          actor,
        );
      }),

    awaitingConfirmation() {
      const pending: PendingConfirmation[] = [];
      for (const notice of deps.store.read().notices) {
        for (const v of notice.versions) {
          if (!awaitsConfirmation(v) || !v.review) continue;
          pending.push({
            noticeId: notice.id,
            versionId: v.id,
            versionNumber: v.number,
            title: v.content.title,
            approvedBy: v.review.by,
            approvedAt: v.review.at,
            expiresAt: v.content.emergency?.expiresAt ?? v.endsAt ?? v.review.at,
            state: v.state,
          });
        }
      }
      return pending.sort((a, b) => a.approvedAt - b.approvedAt);
    },

    reject: (id, reason, actor) =>
      withNotice(id, async (record) =>
        commit(rejectNotice(record, reason, actor, deps.clock.now()), () => ({ type: 'notice.rejected', reason }), actor),
      ),

    withdraw: (id, reason, actor) =>
      withNotice(id, async (record) =>
        commit(withdrawNotice(record, reason, actor, deps.clock.now()), () => ({ type: 'notice.withdrawn', reason }), actor),
      ),

    recall: (id, actor) =>
      withNotice(id, async (record) => commit(recallNotice(record, actor, deps.clock.now()), () => ({ type: 'notice.recalled' }), actor)),

    expireDue: () =>
      serial(async () => {
        let expired = 0;
        for (const record of deps.store.read().notices) {
          const step = expireNotice(record, deps.clock.now());
          if (!step) continue;
          const result = await commit(step, () => ({ type: 'notice.expired' }), null);
          if (result.ok) expired++;
        }
        return expired;
      }),
  };
}
