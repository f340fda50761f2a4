/**
 * The notice editor's form state: what the inputs hold (strings, as typed),
 * and the conversions to and from the protocol's notice content. The form is
 * checked with the protocol's own schema, so the editor refuses what the
 * controller would refuse, with the same field paths.
 */
import {
  type CategoryCode,
  type CivilDate,
  type DocType,
  type EmergencyLevel,
  type Failure,
  type KeyArea,
  type NoticeContent,
  type NoticeContentRequest,
  type PostingRule,
  type RetentionClass,
  fail,
  invalidPayload,
  isCivilDate,
  noticeContentRequest,
} from '@protocol';
import { fromTownDateTime, toTownDateTime } from './format';

export type RuleKind = PostingRule['kind'];

export interface NoticeDraft {
  title: string;
  body: string;
  /** Empty: the sign shows the title. */
  ledText: string;
  category: CategoryCode;
  keyAreas: KeyArea[];
  docNumber: string;
  /** Empty: not a 规章 or 规范性文件 (an everyday notice). */
  docType: DocType | '';
  /** Empty: the town's issuer. */
  issuer: string;
  formedOn: CivilDate;
  scope: 'town' | 'villages';
  villageIds: string[];
  postingStart: CivilDate;
  ruleKind: RuleKind;
  /** Days for `calendar_days` and `working_days`, as typed. */
  ruleDays: string;
  ruleEnd: CivilDate;
  priority: number;
  emergency: boolean;
  emergencyLevel: EmergencyLevel;
  /** `datetime-local` value, local time. */
  emergencyExpires: string;
  /** Empty: the category's default retention. */
  retention: RetentionClass | '';
}

/** A blank notice formed and posted today for 7 days, limited to `villageIds` when the editor is. */
export function emptyDraft(today: CivilDate, villageIds: readonly string[] = []): NoticeDraft {
  return {
    title: '',
    body: '',
    ledText: '',
    category: 'a20-other',
    keyAreas: [],
    docNumber: '',
    docType: '',
    issuer: '',
    formedOn: today,
    scope: villageIds.length > 0 ? 'villages' : 'town',
    villageIds: [...villageIds],
    postingStart: today,
    ruleKind: 'calendar_days',
    ruleDays: '7',
    ruleEnd: today,
    priority: 0,
    emergency: false,
    emergencyLevel: 'blue',
    emergencyExpires: '',
    retention: '',
  };
}

/** The form for stored content: everything the controller filled in is shown as it is. */
export function draftFromContent(content: NoticeContent): NoticeDraft {
  const rule = content.posting.rule;
  return {
    title: content.title,
    // The controller stores the title as the LED text when none was given; show that as "use the title".
    ledText: content.ledText === content.title ? '' : content.ledText,
    body: content.body,
    category: content.category,
    keyAreas: [...content.keyAreas],
    docNumber: content.docNumber ?? '',
    docType: content.docType ?? '',
    issuer: content.issuer,
    formedOn: content.formedOn,
    scope: content.target.scope,
    villageIds: content.target.scope === 'villages' ? [...content.target.villageIds] : [],
    postingStart: content.posting.start,
    ruleKind: rule.kind,
    ruleDays: rule.kind === 'calendar_days' || rule.kind === 'working_days' ? String(rule.days) : '7',
    ruleEnd: rule.kind === 'until' ? rule.end : content.posting.start,
    priority: content.priority,
    emergency: content.emergency !== null,
    emergencyLevel: content.emergency?.level ?? 'blue',
    emergencyExpires: content.emergency ? toTownDateTime(content.emergency.expiresAt) : '',
    retention: content.retention,
  };
}

/** The posting rule the form describes; `days` may be NaN while the field is not a number. */
export function ruleOf(draft: NoticeDraft): PostingRule {
  switch (draft.ruleKind) {
    case 'calendar_days':
    case 'working_days':
      return { kind: draft.ruleKind, days: draft.ruleDays.trim() === '' ? Number.NaN : Number(draft.ruleDays) };
    case 'until':
      return { kind: 'until', end: draft.ruleEnd };
    case 'long_term':
      return { kind: 'long_term' };
  }
}

/** What the editor sends as `content`. */
export function toContentRequest(draft: NoticeDraft): NoticeContentRequest {
  return {
    title: draft.title,
    body: draft.body,
    ledText: draft.ledText,
    category: draft.category,
    keyAreas: draft.keyAreas,
    docNumber: draft.docNumber.trim() || null,
    ...(draft.docType === '' ? {} : { docType: draft.docType }),
    issuer: draft.issuer,
    formedOn: draft.formedOn,
    target: draft.scope === 'town' ? { scope: 'town' } : { scope: 'villages', villageIds: draft.villageIds },
    posting: { start: draft.postingStart, rule: ruleOf(draft) },
    priority: draft.priority,
    emergency: draft.emergency ? { level: draft.emergencyLevel, expiresAt: fromTownDateTime(draft.emergencyExpires) } : null,
    ...(draft.retention === '' ? {} : { retention: draft.retention }),
  };
}

/**
 * What is wrong with the form, as the controller would say it (field paths
 * and messages), plus what only shows later: an end before the start, an
 * emergency that has already ended. Null when it may be sent.
 */
export function checkDraft(draft: NoticeDraft, now: number): Failure | null {
  const extra: Record<string, string> = {};
  const rule = ruleOf(draft);
  if ((rule.kind === 'calendar_days' || rule.kind === 'working_days') && !Number.isInteger(rule.days)) {
    extra['posting.rule.days'] = 'enter a whole number of days';
  }
  if (rule.kind === 'until' && isCivilDate(rule.end) && isCivilDate(draft.postingStart) && rule.end < draft.postingStart) {
    extra['posting.rule.end'] = 'must not be before the start date';
  }
  if (draft.emergency) {
    const expires = fromTownDateTime(draft.emergencyExpires);
    if (Number.isNaN(expires)) extra['emergency.expiresAt'] = 'an emergency needs an expiry';
    else if (expires <= now) extra['emergency.expiresAt'] = 'must be in the future';
  }
  const parsed = noticeContentRequest.safeParse(toContentRequest(draft));
  const fields = { ...(parsed.success ? {} : (invalidPayload(parsed.error).fields ?? {})), ...extra };
  if (Object.keys(fields).length === 0) return null;
  return fail('invalid_payload', Object.keys(fields).join(', '), fields);
}
