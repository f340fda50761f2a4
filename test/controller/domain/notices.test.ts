import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type NoticeRecord,
  type Step,
  approveNotice,
  changedFields,
  contentHash,
  createNotice,
  editNotice,
  expireNotice,
  liveVersion,
  mayTarget,
  rejectNotice,
  submitNotice,
  targetsVillage,
  withdrawNotice,
  workingVersion,
} from '../../../controller/domain/notices.js';
import { noticeState } from '../../../controller/domain/noticeView.js';
import { compilePlaylist, rotationSeconds } from '../../../controller/domain/playlist.js';
import type { Attestation, NoticeContent } from '../../../controller/protocol/index.js';

const editor: Actor = { id: 'u-editor', roles: ['editor'] };
const villageEditor: Actor = { id: 'u-v1', roles: ['editor'], villageIds: ['v1'] };
const reviewer: Actor = { id: 'u-reviewer', roles: ['reviewer'] };
const reviewer2: Actor = { id: 'u-reviewer-2', roles: ['reviewer'] };
const T0 = Date.UTC(2026, 10, 1);
const ATTEST: Attestation = {
  noStateSecret: true,
  noCommercialSecret: true,
  noUnmaskedPersonalData: true,
  checkedAgainstSource: true,
  opinion: '',
};
const WINDOW = { startsAt: T0, endsAt: null };

function content(overrides: Partial<NoticeContent> = {}): NoticeContent {
  return {
    title: '低保公示',
    body: '正文',
    ledText: '低保公示',
    category: 'a21-social-assistance',
    keyAreas: [],
    docNumber: null,
    issuer: '彪角镇人民政府',
    formedOn: '2026-11-01',
    target: { scope: 'villages', villageIds: ['v1'] },
    posting: { start: '2026-11-01', rule: { kind: 'calendar_days', days: 7 } },
    priority: 0,
    emergency: null,
    retention: '10y',
    ...overrides,
  };
}

function ok(step: Step | null): NoticeRecord {
  if (!step?.ok) throw new Error(step ? step.message : 'no step');
  return step.notice;
}

const ids = (n = 1) => ({ noticeId: 'n1', versionId: `n1-v${n}` });
const draft = (c = content(), by = editor) => ok(createNotice(c, ids(), by, T0));
const pending = (c = content()) => ok(submitNotice(draft(c), { privacyHits: 0, window: WINDOW }, editor, T0 + 1));
const published = (c = content()) => ok(approveNotice(pending(c), { attestation: ATTEST, privacyHits: 0 }, reviewer, T0 + 2));

describe('notice lifecycle', () => {
  it('goes draft → pending_review → approved, recording who, when and the attestation', () => {
    const notice = published();
    const live = liveVersion(notice);
    expect(live).toMatchObject({ state: 'approved', submittedBy: 'u-editor', submittedAt: T0 + 1, startsAt: T0 });
    expect(live?.review).toMatchObject({ decision: 'approved', by: 'u-reviewer', at: T0 + 2, attestation: ATTEST });
    expect(noticeState(notice)).toBe('approved');
  });

  it('refuses illegal transitions with a clear error', () => {
    expect(approveNotice(draft(), { attestation: ATTEST, privacyHits: 0 }, reviewer, T0)).toMatchObject({
      ok: false,
      error: 'invalid_transition',
      message: expect.stringContaining('draft'),
    });
    expect(submitNotice(pending(), { privacyHits: 0, window: WINDOW }, editor, T0)).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
    expect(rejectNotice(published(), 'x', reviewer, T0)).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(editNotice(pending(), content({ title: '改' }), { newVersionId: 'v9' }, editor, T0)).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
  });

  it('enforces the four-eyes rule: nobody reviews a version they wrote or submitted', () => {
    const own = ok(submitNotice(draft(content(), reviewer), { privacyHits: 0, window: WINDOW }, reviewer, T0));
    expect(approveNotice(own, { attestation: ATTEST, privacyHits: 0 }, reviewer, T0)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(rejectNotice(own, '不行', reviewer, T0)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(approveNotice(own, { attestation: ATTEST, privacyHits: 0 }, reviewer2, T0)).toMatchObject({ ok: true });
    // An edit by the reviewer makes them an author of that version too.
    const coWritten = ok(editNotice(draft(), content({ body: '改过' }), { newVersionId: 'x' }, reviewer2, T0));
    const submitted = ok(submitNotice(coWritten, { privacyHits: 0, window: WINDOW }, editor, T0));
    expect(approveNotice(submitted, { attestation: ATTEST, privacyHits: 0 }, reviewer2, T0)).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
  });

  it('lets only reviewers approve, reject and withdraw', () => {
    expect(approveNotice(pending(), { attestation: ATTEST, privacyHits: 0 }, { id: 'u-x', roles: ['editor'] }, T0)).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
    expect(withdrawNotice(published(), '错误', editor, T0)).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('sends a rejected version back to draft when it is edited', () => {
    const rejected = ok(rejectNotice(pending(), '数据有误', reviewer, T0 + 3));
    expect(workingVersion(rejected)?.review).toMatchObject({ decision: 'rejected', reason: '数据有误' });
    const edited = ok(editNotice(rejected, content({ body: '已更正数据' }), { newVersionId: 'unused' }, editor, T0 + 4));
    expect(edited.versions).toHaveLength(1);
    expect(workingVersion(edited)).toMatchObject({ state: 'draft', content: { body: '已更正数据' } });
  });

  it('makes a new version when a published notice is edited, and keeps the old one live until the new one is approved', () => {
    const live = published();
    const revised = ok(
      editNotice(live, content({ body: '新正文' }), { newVersionId: 'n1-v2', correctionReason: '金额写错' }, editor, T0 + 10),
    );
    expect(revised.versions.map((v) => [v.number, v.state])).toEqual([
      [1, 'approved'],
      [2, 'draft'],
    ]);
    expect(workingVersion(revised)).toMatchObject({ revisionOf: 'n1-v1', correction: { reason: '金额写错' } });
    expect(compilePlaylist([revised], { villageId: 'v1' }, T0 + 10).items[0]?.contentHash).toBe(liveVersion(live)?.contentHash);

    const submitted = ok(submitNotice(revised, { privacyHits: 0, window: WINDOW }, editor, T0 + 11));
    const corrected = ok(approveNotice(submitted, { attestation: ATTEST, privacyHits: 0 }, reviewer, T0 + 12));
    expect(corrected.versions.map((v) => v.state)).toEqual(['superseded', 'approved']);
    expect(corrected.versions[0]?.endedAt).toBe(T0 + 12);
    const [item] = compilePlaylist([corrected], { villageId: 'v1' }, T0 + 13).items;
    expect(item).toMatchObject({ versionId: 'n1-v2', correction: { reason: '金额写错' } });
  });

  it('keeps approved versions immutable: their hash covers the content', () => {
    const live = liveVersion(published());
    expect(live?.contentHash).toBe(contentHash(content()));
    expect(contentHash(content({ title: '低保公示 ' }))).not.toBe(live?.contentHash);
  });

  it('withdraws the live version and any pending revision', () => {
    const revised = ok(editNotice(published(), content({ body: '新' }), { newVersionId: 'n1-v2' }, editor, T0 + 5));
    const withdrawn = ok(withdrawNotice(revised, '信息有误', reviewer, T0 + 6));
    expect(withdrawn.versions.map((v) => v.state)).toEqual(['withdrawn', 'withdrawn']);
    expect(withdrawn.versions[0]?.withdrawal).toEqual({ by: 'u-reviewer', at: T0 + 6, reason: '信息有误' });
    expect(noticeState(withdrawn)).toBe('withdrawn');
    expect(compilePlaylist([withdrawn], { villageId: 'v1' }, T0 + 7).items).toEqual([]);
    expect(withdrawNotice(withdrawn, '再次', reviewer, T0 + 8)).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('expires the live version when its window or its emergency ends', () => {
    const windowed = ok(
      approveNotice(
        ok(submitNotice(draft(), { privacyHits: 0, window: { startsAt: T0, endsAt: T0 + 100 } }, editor, T0)),
        { attestation: ATTEST, privacyHits: 0 },
        reviewer,
        T0,
      ),
    );
    expect(expireNotice(windowed, T0 + 99)).toBeNull();
    expect(liveVersion(ok(expireNotice(windowed, T0 + 100)))).toBeNull();
    const warning = published(content({ emergency: { level: 'red', expiresAt: T0 + 50 } }));
    expect(ok(expireNotice(warning, T0 + 50)).versions[0]?.state).toBe('expired');
  });

  it('blocks submission and approval while unmasked personal data remains, unless a reason is given', () => {
    expect(submitNotice(draft(), { privacyHits: 2, window: WINDOW }, editor, T0)).toMatchObject({ ok: false, error: 'privacy_blocked' });
    const asked = ok(submitNotice(draft(), { privacyHits: 2, privacyOverrideRequest: '惩戒公示须公开', window: WINDOW }, editor, T0));
    expect(workingVersion(asked)?.privacyOverrideRequest).toBe('惩戒公示须公开');
    expect(approveNotice(asked, { attestation: ATTEST, privacyHits: 2 }, reviewer, T0)).toMatchObject({
      ok: false,
      error: 'privacy_blocked',
    });
    const approved = ok(
      approveNotice(asked, { attestation: ATTEST, privacyHits: 2, privacyOverride: { reason: '依法须公开' } }, reviewer, T0),
    );
    expect(liveVersion(approved)?.review?.privacyOverride).toEqual({ reason: '依法须公开' });
  });

  it('limits village editors to their villages', () => {
    expect(mayTarget(villageEditor, { scope: 'villages', villageIds: ['v1'] })).toBe(true);
    expect(mayTarget(villageEditor, { scope: 'villages', villageIds: ['v1', 'v2'] })).toBe(false);
    expect(mayTarget(villageEditor, { scope: 'town' })).toBe(false);
    expect(createNotice(content({ target: { scope: 'town' } }), ids(), villageEditor, T0)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(createNotice(content(), ids(), villageEditor, T0)).toMatchObject({ ok: true });
  });

  it('does not mutate its input', () => {
    const notice = pending();
    const copy = structuredClone(notice);
    approveNotice(notice, { attestation: ATTEST, privacyHits: 0 }, reviewer, T0);
    expect(notice).toEqual(copy);
  });

  it('names the fields an edit changed', () => {
    expect(changedFields(content(), content({ title: '新', priority: 3 }))).toEqual(['title', 'priority']);
  });

  it('names a document type added, changed or removed (the annual report counts notices by it)', () => {
    const normative = content({ docType: 'normative' });
    expect(changedFields(content(), normative)).toEqual(['docType']);
    expect(changedFields(normative, content({ docType: 'other' }))).toEqual(['docType']);
    // Removed: the field is only in the version before.
    expect(changedFields(normative, content())).toEqual(['docType']);
    expect(changedFields(normative, content({ docType: 'normative' }))).toEqual([]);
    expect(changedFields(null, normative)).toContain('docType');
  });

  it('targets the whole town or the listed villages', () => {
    expect(targetsVillage({ scope: 'town' }, 'v9')).toBe(true);
    expect(targetsVillage({ scope: 'villages', villageIds: ['v1', 'v2'] }, 'v2')).toBe(true);
    expect(targetsVillage({ scope: 'villages', villageIds: ['v1'] }, 'v2')).toBe(false);
  });
});

describe('compilePlaylist', () => {
  it('holds the live, unexpired versions for the device’s village', () => {
    const mine = published();
    const other = { ...published(content({ target: { scope: 'villages', villageIds: ['v2'] } })), id: 'n2' };
    const unpublished = { ...pending(), id: 'n3' };
    expect(compilePlaylist([mine, other, unpublished], { villageId: 'v1' }, T0 + 100).items.map((i) => i.noticeId)).toEqual(['n1']);
  });

  it('puts emergencies first, with their level, and ends them at their expiry', () => {
    const routine = { ...published(content({ priority: 9 })), id: 'n2' };
    const warning = published(content({ emergency: { level: 'orange', expiresAt: T0 + 1000 } }));
    const items = compilePlaylist([routine, warning], { villageId: 'v1' }, T0 + 10).items;
    expect(items.map((i) => i.noticeId)).toEqual(['n1', 'n2']);
    expect(items[0]).toMatchObject({ emergency: { level: 'orange' }, endsAt: T0 + 1000 });
    expect(compilePlaylist([routine, warning], { villageId: 'v1' }, T0 + 1000).items.map((i) => i.noticeId)).toEqual(['n2']);
  });

  it('derives the version from the items, not the time', () => {
    const notices = [published()];
    expect(compilePlaylist(notices, { villageId: 'v1' }, T0).version).toBe(
      compilePlaylist(notices, { villageId: 'v1' }, T0 + 5000).version,
    );
    expect(compilePlaylist([], { villageId: 'v1' }, T0).version).not.toBe(compilePlaylist(notices, { villageId: 'v1' }, T0).version);
  });

  it('keeps rotation time within bounds, longer for longer texts', () => {
    expect(rotationSeconds('短', '')).toBe(10);
    expect(rotationSeconds('标题', '字'.repeat(5000))).toBe(36); // 6 + (2 + 240) / 8
    expect(rotationSeconds('标'.repeat(200), '字'.repeat(5000))).toBe(45);
    expect(rotationSeconds('标'.repeat(200), '字'.repeat(5000), { min: 5, max: 20 })).toBe(20);
    expect(rotationSeconds('短', '', { min: 15, max: 60 })).toBe(15);
  });

  it('carries the device’s on-hours and the town’s rotation bounds, and a change of either is a new version', () => {
    const notices = [published(content({ body: '字'.repeat(400) }))];
    const hours = { utcOffsetMinutes: 480, weekly: Array.from({ length: 7 }, (): [number, number][] => [[480, 1080]]) };
    const always = compilePlaylist(notices, { villageId: 'v1' }, T0);
    const daytime = compilePlaylist(notices, { villageId: 'v1', onHours: hours }, T0);
    expect(always.onHours).toBeNull();
    expect(daytime.onHours).toEqual(hours);
    expect(daytime.version).not.toBe(always.version);
    const short = compilePlaylist(notices, { villageId: 'v1' }, T0, { rotationBoundsSec: { min: 5, max: 12 } });
    expect(short.items[0]?.durationSec).toBe(12);
    expect(short.version).not.toBe(always.version);
  });
});
