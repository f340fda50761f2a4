import { type HolidayCalendar, type Notice, type Village, categoryLabel, civilDateOf, disclosureDeadline } from '@protocol';
import { DeadlineFlag } from '../../components/DeadlineFlag';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { describeTarget } from '../../lib/labels';
import { routeHash } from '../../lib/route';

export interface NoticeTableProps {
  notices: readonly Notice[];
  villages: readonly Village[];
  /** The town's working-day calendar, for the 公开时限 of notices already published. */
  calendar: HolidayCalendar;
}

/**
 * 公开时限 on every row: a notice not yet approved shows how close its deadline is (flagged when due soon or
 * past); a published one whether its first approval met the deadline; one withdrawn unpublished is not counted.
 */
function DeadlineCell({ notice, calendar }: { notice: Notice; calendar: HolidayCalendar }) {
  const { t } = useI18n();
  const d = t.deadline;
  if (notice.deadline) {
    if (notice.deadline.state !== 'ok') return <DeadlineFlag deadline={notice.deadline} />;
    return <span data-deadline="ok">{d.by(notice.deadline.deadline)}</span>;
  }
  const first = notice.versions
    .filter((v) => v.review?.decision === 'approved')
    .sort((a, b) => (a.review?.at ?? 0) - (b.review?.at ?? 0))[0];
  if (!first?.review) return <span data-deadline="none">{d.notCounted}</span>;
  const deadline = disclosureDeadline(calendar, first.content.formedOn);
  const met = civilDateOf(first.review.at) <= deadline;
  return (
    <span data-deadline={met ? 'met' : 'late'} class={met ? undefined : 'warn-text'}>
      {met ? d.onTime(deadline) : d.late(deadline)}
    </span>
  );
}

/** One page of notices; the title links to the notice, where its actions are. */
export function NoticeTable({ notices, villages, calendar }: NoticeTableProps) {
  const { t, locale } = useI18n();
  if (notices.length === 0) return <p class="empty">{t.notices.empty}</p>;
  const cols = t.notices.columns;
  return (
    <div class="table-wrap">
      <table class="notices">
        <thead>
          <tr>
            <th scope="col">{cols.title}</th>
            <th scope="col">{cols.state}</th>
            <th scope="col">{cols.deadline}</th>
            <th scope="col">{cols.category}</th>
            <th scope="col">{cols.target}</th>
            <th scope="col">{cols.updated}</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.id} data-notice-id={n.id} data-state={n.state}>
              <td class="title-cell">
                <a href={routeHash({ page: 'notice', id: n.id })}>{n.title}</a>
              </td>
              <td class="nowrap">
                <StateBadge notice={n} />
              </td>
              <td class="nowrap">
                <DeadlineCell notice={n} calendar={calendar} />
              </td>
              <td>{categoryLabel(n.category, locale)}</td>
              <td>{describeTarget(t, n.target, villages)}</td>
              <td class="nowrap">{formatDateTime(n.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
