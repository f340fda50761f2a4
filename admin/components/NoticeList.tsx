import type { Ack, Failure, Notice, NoticeTarget, Role, StaffUser, Village } from '@protocol';
import { useState } from 'preact/hooks';
import { type Dictionary, useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import { FailureMessage } from './Feedback';
import { StateBadge } from './StateBadge';

export type NoticeActionType = 'submit' | 'approve';

export interface NoticeListProps {
  notices: readonly Notice[];
  villages: readonly Village[];
  user: StaffUser;
  act: (action: NoticeActionType, noticeId: string) => Promise<Ack<Notice>>;
  onChanged: (notice: Notice) => void;
}

const SUBMITTERS: readonly Role[] = ['editor', 'reviewer', 'admin'];
const REVIEWERS: readonly Role[] = ['reviewer', 'admin'];
const hasRole = (user: StaffUser, roles: readonly Role[]): boolean => user.roles.some((r) => roles.includes(r));

export function describeTarget(t: Dictionary, target: NoticeTarget, villages: readonly Village[]): string {
  if (target.scope === 'town') return t.notices.townWide;
  return target.villageIds.map((id) => villages.find((v) => v.id === id)?.name ?? id).join('、');
}

/** The notices, newest first, with the next lifecycle step as a button where the user may take it. */
export function NoticeList({ notices, villages, user, act, onChanged }: NoticeListProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [failures, setFailures] = useState<Readonly<Record<string, Failure>>>({});

  const run = async (action: NoticeActionType, id: string): Promise<void> => {
    setBusy(id);
    const ack = await act(action, id);
    setBusy(null);
    setFailures((current) => {
      const next = { ...current };
      delete next[id];
      return ack.ok ? next : { ...next, [id]: ack };
    });
    if (ack.ok) onChanged(ack.data);
  };

  if (notices.length === 0) return <p class="empty">{t.notices.empty}</p>;
  const canSubmit = hasRole(user, SUBMITTERS);
  const canApprove = hasRole(user, REVIEWERS);
  return (
    <div class="table-wrap">
      <table class="notices">
        <thead>
          <tr>
            <th scope="col">{t.notices.columns.title}</th>
            <th scope="col">{t.notices.columns.state}</th>
            <th scope="col">{t.notices.columns.target}</th>
            <th scope="col">{t.notices.columns.updated}</th>
            <th scope="col">{t.notices.columns.actions}</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.id} data-notice-id={n.id} data-state={n.state}>
              <td class="title-cell">{n.title}</td>
              <td class="nowrap">
                <StateBadge state={n.state} />
              </td>
              <td>{describeTarget(t, n.target, villages)}</td>
              <td class="nowrap">{formatDateTime(n.updatedAt)}</td>
              <td class="actions-cell">
                {n.state === 'draft' && canSubmit && (
                  <button type="button" onClick={() => void run('submit', n.id)} disabled={busy === n.id}>
                    {t.notices.submit}
                  </button>
                )}
                {n.state === 'pending_review' && canApprove && (
                  <button type="button" class="primary" onClick={() => void run('approve', n.id)} disabled={busy === n.id}>
                    {t.notices.approve}
                  </button>
                )}
                <FailureMessage failure={failures[n.id] ?? null} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
