/** The admin's view of a stored notice: derived state, live and working versions, timeliness. */
import { type CivilDate, type HolidayCalendar, type Notice, type NoticeState, deadlineStatus } from '../protocol/index.js';
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
  };
}
