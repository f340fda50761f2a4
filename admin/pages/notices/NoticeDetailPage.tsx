import { type Failure, type Notice, categoryLabel, invalidPayload, withdrawNoticeRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { CalendarGaps } from '../../components/CalendarGaps';
import { DeadlineFlag } from '../../components/DeadlineFlag';
import { FailureMessage, Flash } from '../../components/Feedback';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { describeTarget } from '../../lib/labels';
import { noticeActions } from '../../lib/permissions';
import { routeHash } from '../../lib/route';
import { useNotice } from '../../lib/useNotice';
import type { PageProps } from '../types';
import { VersionDiff } from '../review/VersionDiff';
import { EmergencyAckPanel } from './EmergencyAckPanel';
import { VersionCard } from './VersionCard';

/** One notice: where it stands, what may be done with it now, and every version. */
export function NoticeDetailPage({
  id,
  api,
  data,
  user,
  go,
}: PageProps<'town' | 'devices' | 'nameOf' | 'noticeChanged' | 'subscribe' | 'remember'> & { id: string }) {
  const { t, locale } = useI18n();
  const { notice, error, set } = useNotice(api, data, id);
  const [withdrawing, setWithdrawing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [recallFailure, setRecallFailure] = useState<Failure | null>(null);
  const [recalling, setRecalling] = useState(false);

  if (error) {
    return (
      <section>
        <p class="form-error" role="alert">
          <strong>{error === 'not_found' ? t.detail.notFound : t.errors[error]}</strong>
        </p>
        <a href={routeHash({ page: 'notices' })}>{t.detail.back}</a>
      </section>
    );
  }
  if (!notice) return <p class="loading">{t.common.loading}</p>;

  const can = noticeActions(user, notice);
  const changed = (next: Notice, message: string): void => {
    set(next);
    data.noticeChanged(next);
    setDone(message);
  };
  const d = t.detail;
  const pending = notice.working?.state === 'pending_review' ? notice.working : null;
  const recall = async (): Promise<void> => {
    setRecalling(true);
    const ack = await api.recallNotice(notice.id);
    setRecalling(false);
    if (!ack.ok) return setRecallFailure(ack);
    setRecallFailure(null);
    changed(ack.data, d.recalled);
  };
  return (
    <section aria-labelledby="notice-heading" data-notice-id={notice.id}>
      <a class="back" href={routeHash({ page: 'notices' })}>
        ← {d.back}
      </a>
      <div class="section-head">
        <h1 id="notice-heading">{notice.title}</h1>
      </div>
      <p class="meta-line">
        <StateBadge notice={notice} /> <DeadlineFlag deadline={notice.deadline} long /> <CalendarGaps years={notice.unknownCalendarYears} />{' '}
        <span>{categoryLabel(notice.category, locale)}</span> · <span>{describeTarget(t, notice.target, data.town?.villages ?? [])}</span>
      </p>
      <div class="actions toolbar">
        {can.edit && (
          <button type="button" class="primary" onClick={() => go({ page: 'editor', id: notice.id, correct: false })}>
            {d.edit}
          </button>
        )}
        {(can.review || can.fastPath) && (
          <button type="button" class="primary" onClick={() => go({ page: 'review', id: notice.id })}>
            {d.review}
          </button>
        )}
        {can.revise && (
          <button type="button" onClick={() => go({ page: 'editor', id: notice.id, correct: false })}>
            {d.revise}
          </button>
        )}
        {can.revise && (
          <button type="button" onClick={() => go({ page: 'editor', id: notice.id, correct: true })}>
            {d.correct}
          </button>
        )}
        {can.withdraw && (
          <button type="button" class="danger" onClick={() => setWithdrawing(true)}>
            {d.withdraw}
          </button>
        )}
        {can.recall && (
          <button type="button" disabled={recalling} onClick={() => void recall()}>
            {d.recall}
          </button>
        )}
      </div>
      <FailureMessage failure={recallFailure} />
      {can.ownVersion && <p class="note">{can.fastPath ? d.ownEmergency : d.ownVersion}</p>}
      <Flash message={done} />
      {notice.live?.content.emergency && (
        <EmergencyAckPanel api={api} noticeId={notice.id} devices={data.devices} villages={data.town?.villages ?? []} />
      )}
      {pending && (
        <section class="card submitted-version" aria-labelledby="submitted-heading" data-submitted-version={pending.number}>
          <h2 id="submitted-heading">{d.submitted(pending.number)}</h2>
          <p class="note">{notice.live ? d.submittedAgainst(notice.live.number) : d.submittedNew}</p>
          {can.recall && <p class="hint">{d.recallHint}</p>}
          <VersionDiff before={notice.live?.content ?? null} after={pending.content} villages={data.town?.villages ?? []} />
        </section>
      )}
      <h2>{d.versions}</h2>
      <ol class="versions" reversed>
        {[...notice.versions].reverse().map((v) => (
          <VersionCard key={v.id} version={v} nameOf={data.nameOf} />
        ))}
      </ol>
      {withdrawing && (
        <ReasonDialog
          id="withdraw-dialog"
          heading={t.withdraw.heading}
          label={t.withdraw.reason}
          hint={t.withdraw.hint}
          submitLabel={t.withdraw.submit}
          validate={(reason) => {
            const parsed = withdrawNoticeRequest.safeParse({ reason });
            return parsed.success ? null : invalidPayload(parsed.error);
          }}
          send={(reason) => api.withdrawNotice(notice.id, reason)}
          onDone={(next) => {
            setWithdrawing(false);
            changed(next, t.withdraw.done);
          }}
          onClose={() => setWithdrawing(false)}
        />
      )}
    </section>
  );
}
