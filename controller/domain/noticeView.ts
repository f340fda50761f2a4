/** The admin's view of a stored notice: derived state, live and working versions, timeliness. */
import {
  type CivilDate,
  type HolidayCalendar,
  type Notice,
  type NoticeContent,
  type NoticeState,
  deadlineStatus,
  disclosureDeadline,
  postingWindow,
  unknownYears,
} from '../protocol/index.js';
import { type NoticeRecord, liveVersion, workingVersion } from './notices.js';

export function noticeState(record: NoticeRecord): NoticeState {
  if (liveVersion(record)) return 'approved';
  const latest = record.versions.at(-1);
  switch (latest?.state) {
    case undefined:
    case 'superseded':
      return 'expired';
    case 'approved':
      return 'approved';
    default:
      return latest?.state ?? 'expired';
  }
}

export function toNoticeView(record: NoticeRecord, calendar: HolidayCalendar, today: CivilDate): Notice {
  const live = liveVersion(record);
  const working = workingVersion(record);
  const current = working ?? live ?? record.versions.at(-1);
  if (!current) throw new Error(`notice ${record.id} has no versions`);
  const everApproved = record.versions.some((v) => v.review?.decision === 'approved');
  return {
    id: record.id,
    state: noticeState(record),
    title: current.content.title,
    category: current.content.category,
    target: current.content.target,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: Math.max(...record.versions.map((v) => v.updatedAt)),
    live,
    working,
    versions: record.versions,
    deadline: everApproved || noticeState(record) === 'withdrawn' ? null : deadlineStatus(calendar, current.content.formedOn, today),
    unknownCalendarYears: calendarGaps(calendar, current.content),
  };
}

/** The years from the formed date to the later of the 公开时限 and the posting end whose schedule is unknown. */
function calendarGaps(calendar: HolidayCalendar, content: NoticeContent): number[] {
  const { posting, formedOn } = content;
  let last = disclosureDeadline(calendar, formedOn);
  try {
    const end = postingWindow(calendar, posting.rule, posting.start).end ?? posting.start;
    if (end > last) last = end;
  } catch {
    // An impossible window is refused when it is saved; a stored one only adds no years.
  }
  const first = posting.start < formedOn ? posting.start : formedOn;
  return unknownYears(calendar, first, last);
}
