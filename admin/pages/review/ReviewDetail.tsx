import { type Notice, categoryLabel, civilDateOf, invalidPayload, rejectNoticeRequest, withdrawNoticeRequest } from '@protocol';
import { useState } from 'preact/hooks';
import { CalendarGaps } from '../../components/CalendarGaps';
import { DeadlineFlag } from '../../components/DeadlineFlag';
import { Flash } from '../../components/Feedback';
import { LateStartNote, lateStartOf } from '../../components/LateStartNote';
import { PrivacyHits } from '../../components/PrivacyHits';
import { ReasonDialog } from '../../components/ReasonDialog';
import { StateBadge } from '../../components/StateBadge';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { describeTarget } from '../../lib/labels';
import { effectiveLedText } from '../../lib/led';
import { noticeActions } from '../../lib/permissions';
import { privacyHits } from '../../lib/privacy';
import { routeHash } from '../../lib/route';
import { LedSignsCheck } from '../editor/LedSignsCheck';
import type { PageProps } from '../types';
import { ApproveDialog } from './ApproveDialog';
import { VersionDiff } from './VersionDiff';

type Open = 'approve' | 'reject' | 'withdraw' | null;

/** One notice under review: the pending version against the live one, its privacy hits, and the review steps. */
export function ReviewDetail({
  notice,
  api,
  data,
  user,
  go,
  onChanged,
}: PageProps<'town' | 'calendar' | 'nameOf'> & { notice: Notice; onChanged: (notice: Notice) => void }) {
  const { t, locale } = useI18n();
  const r = t.review;
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  const pending = notice.working?.state === 'pending_review' ? notice.working : null;
  const live = notice.live;
  const can = noticeActions(user, notice);
  const villages = data.town?.villages ?? [];
  const hits = pending ? privacyHits(pending.content) : [];
  const today = civilDateOf(Date.now());
  const late =
    pending && !pending.content.emergency
      ? lateStartOf(data.calendar, pending.content.posting.rule, pending.content.posting.start, today)
      : null;

  const finish = (next: Notice, message: string): void => {
    setOpen(null);
    setDone(message);
    onChanged(next);
  };

  return (
    <article class="review-detail" aria-labelledby="review-title" data-notice-id={notice.id}>
      <h2 id="review-title">{notice.title}</h2>
      <p class="meta-line">
        <StateBadge notice={notice} /> <DeadlineFlag deadline={notice.deadline} long /> <CalendarGaps years={notice.unknownCalendarYears} />{' '}
        {categoryLabel(notice.category, locale)} · {describeTarget(t, notice.target, villages)} ·{' '}
        <a href={routeHash({ page: 'notice', id: notice.id })}>{t.detail.versions}</a>
      </p>
      <Flash message={done} />
      <div class="actions toolbar">
        {(can.review || can.fastPath) && (
          <button type="button" class="primary" onClick={() => setOpen('approve')}>
            {r.approve}
          </button>
        )}
        {can.review && (
          <button type="button" class="danger" onClick={() => setOpen('reject')}>
            {r.reject}
          </button>
        )}
        {can.revise && (
          <button type="button" onClick={() => go({ page: 'editor', id: notice.id, correct: true })}>
            {t.detail.correct}
          </button>
        )}
        {can.withdraw && (
          <button type="button" onClick={() => setOpen('withdraw')}>
            {t.detail.withdraw}
          </button>
        )}
      </div>
      {can.ownVersion && <p class="note">{can.fastPath ? t.detail.ownEmergency : t.detail.ownVersion}</p>}
      {pending && (
        <>
          <p class="meta-line">
            <strong>{r.pendingVersion(pending.number)}</strong>
            {pending.submittedBy && pending.submittedAt !== null && (
              <> · {r.submittedBy(data.nameOf(pending.submittedBy), formatDateTime(pending.submittedAt))}</>
            )}
            {' · '}
            {live ? r.liveVersion(live.number) : r.newNotice}
          </p>
          {pending.correction && (
            <p class="note">
              {t.detail.correction}: {pending.correction.reason}
            </p>
          )}
          <LateStartNote late={late} today={today} drafting={false} />
          {pending.privacyOverrideRequest && (
            <p class="note note-warn">
              {r.overrideRequest} {pending.privacyOverrideRequest}
            </p>
          )}
          {hits.length > 0 && (
            <section class="privacy privacy-hits" aria-labelledby="review-privacy">
              <h3 id="review-privacy">{t.privacy.found(hits.length)}</h3>
              <PrivacyHits hits={hits} texts={pending.content} />
            </section>
          )}
          <LedSignsCheck text={effectiveLedText(pending.content.ledText, pending.content.title)} target={pending.content.target} />
          <h3>{live ? r.changes : r.content}</h3>
          <VersionDiff before={live?.content ?? null} after={pending.content} villages={villages} />
        </>
      )}
      {open === 'approve' && (
        <ApproveDialog
          hitCount={hits.length}
          late={late}
          fastPath={can.fastPath}
          send={(body) => api.approveNotice(notice.id, body)}
          onDone={(next) => finish(next, t.approve.done)}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'reject' && (
        <ReasonDialog
          id="reject-dialog"
          heading={t.reject.heading}
          label={t.reject.reason}
          hint={t.reject.hint}
          submitLabel={t.reject.submit}
          validate={(reason) => {
            const parsed = rejectNoticeRequest.safeParse({ reason });
            return parsed.success ? null : invalidPayload(parsed.error);
          }}
          send={(reason) => api.rejectNotice(notice.id, reason)}
          onDone={(next) => finish(next, t.reject.done)}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'withdraw' && (
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
          onDone={(next) => finish(next, t.withdraw.done)}
          onClose={() => setOpen(null)}
        />
      )}
    </article>
  );
}
