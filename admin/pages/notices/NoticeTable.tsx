import { type Notice, type Village, categoryLabel } from '@protocol';
import { DeadlineFlag } from '../../components/DeadlineFlag';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { describeTarget } from '../../lib/labels';
import { routeHash } from '../../lib/route';

export interface NoticeTableProps {
  notices: readonly Notice[];
  villages: readonly Village[];
}

/** One page of notices; the title links to the notice, where its actions are. */
export function NoticeTable({ notices, villages }: NoticeTableProps) {
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
                <DeadlineFlag deadline={n.deadline} />
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
