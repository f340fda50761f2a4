/**
 * A 公示 approved after its planned start loses the days already gone: the
 * editor is warned while drafting, the reviewer sees how many days the period
 * loses and may move the start to the approval day (顺延), and a period that
 * lies wholly in the past is approved only with a recorded reason. Pure: the
 * admin shows what the controller enforces.
 */
import { z } from './zod.js';
import {
  type CivilDate,
  type HolidayCalendar,
  type PostingRule,
  type PostingWindow,
  addCalendarDays,
  postingWindow,
  startOfCivilDay,
} from './calendar.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What publishing on `today` does to a period planned to start earlier. */
export interface LateStart {
  /** The planned window. */
  planned: PostingWindow;
  /** Days of the planned window before `today`: villagers never see them. */
  lostDays: number;
  /** Days the planned window has (null for long-term). */
  plannedDays: number | null;
  /** The whole period is over before `today`: nothing would reach a screen. */
  wholePast: boolean;
  /** 顺延: the period moved to start on `today`, its end worked out by the same rule. */
  shifted: { start: CivilDate; rule: PostingRule; window: PostingWindow };
}

function daysBetween(from: CivilDate, to: CivilDate): number {
  return Math.round((startOfCivilDay(to) - startOfCivilDay(from)) / DAY_MS);
}

/**
 * The rule that gives the same period from a later start: a count of days or
 * working days counts again from the new start; a fixed last day (`until`)
 * moves by as many days as the start does, so the period keeps its length.
 */
export function shiftedRule(rule: PostingRule, from: CivilDate, to: CivilDate): PostingRule {
  return rule.kind === 'until' ? { kind: 'until', end: addCalendarDays(rule.end, daysBetween(from, to)) } : rule;
}

/**
 * How publishing on `today` shortens a period planned from `start`, or null when the period
 * starts today or later (nothing is lost).
 *
 * @throws RangeError when the rule and start give no possible window (as {@link postingWindow}).
 * @example
 * // 7 calendar days from 2026-01-01, approved on 2026-12-07: wholly past, all 7 days lost.
 * lateStart(calendar, { kind: 'calendar_days', days: 7 }, '2026-01-01', '2026-12-07');
 * // → { lostDays: 7, plannedDays: 7, wholePast: true, shifted: { start: '2026-12-07', window: { end: '2026-12-13', … } }, … }
 */
export function lateStart(calendar: HolidayCalendar, rule: PostingRule, start: CivilDate, today: CivilDate): LateStart | null {
  if (start >= today) return null;
  const planned = postingWindow(calendar, rule, start);
  const plannedDays = planned.end === null ? null : daysBetween(planned.start, planned.end) + 1;
  const wholePast = planned.end !== null && planned.end < today;
  const lostDays = wholePast && plannedDays !== null ? plannedDays : daysBetween(start, today);
  const rule2 = shiftedRule(rule, start, today);
  return {
    planned,
    lostDays,
    plannedDays,
    wholePast,
    shifted: { start: today, rule: rule2, window: postingWindow(calendar, rule2, today) },
  };
}

/** How the reviewer settles a late start at approval. */
export const lateStartDecision = z.strictObject({
  /** 顺延: move the start to the approval day and recompute the end by the same rule. */
  shift: z.literal(true, 'send true or leave it out').optional(),
  /** Required to approve a period that is wholly over without 顺延: why it is published anyway (recorded). */
  reason: z.string().trim().min(2, 'give the reason for approving a period that is already over').max(1000).optional(),
});
export type LateStartDecision = z.infer<typeof lateStartDecision>;

/** What the approval recorded about a late start. */
export interface LateStartRecord {
  plannedStart: CivilDate;
  lostDays: number;
  wholePast: boolean;
  /** Set when the start was moved (顺延) to the approval day. */
  shiftedTo: CivilDate | null;
  /** The reviewer's reason for approving a wholly past period as it is. */
  reason: string | null;
}
