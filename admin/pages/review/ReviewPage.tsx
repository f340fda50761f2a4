import type { Notice } from '@protocol';
import { DeadlineFlag } from '../../components/DeadlineFlag';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { canReview } from '../../lib/permissions';
import { routeHash } from '../../lib/route';
import { useNotice } from '../../lib/useNotice';
import type { ReviewQueue } from '../../lib/useReviewQueue';
import type { PageProps } from '../types';
import { ReviewDetail } from './ReviewDetail';

/** The slices the queue's open notice reads. */
type ReviewData = 'town' | 'calendar' | 'nameOf' | 'noticeChanged' | 'subscribe' | 'remember';

export interface ReviewPageProps extends PageProps<ReviewData> {
  /** The notice opened for review, if any. */
  id: string | null;
  queue: ReviewQueue;
}

/** 审核: the queue of pending versions, oldest first, and the one being reviewed. */
export function ReviewPage({ id, queue, ...page }: ReviewPageProps) {
  const { t } = useI18n();
  const r = t.review;
  if (!canReview(page.user)) return <p class="note">{t.errors.forbidden}</p>;
  return (
    <section aria-labelledby="review-heading">
      <div class="section-head">
        <h1 id="review-heading">{r.heading}</h1>
        <button type="button" onClick={() => void queue.reload()}>
          {t.common.refresh}
        </button>
      </div>
      <div class="review-layout">
        <nav class="queue" aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            {r.queue} ({queue.notices.length})
          </h2>
          {!queue.loaded ? (
            <p class="loading">{t.common.loading}</p>
          ) : queue.notices.length === 0 ? (
            <p class="empty">{r.empty}</p>
          ) : (
            <ul>
              {queue.notices.map((n) => (
                <QueueItem key={n.id} notice={n} current={n.id === id} />
              ))}
            </ul>
          )}
        </nav>
        <div class="review-main">{id === null ? <p class="empty">{r.choose}</p> : <OpenReview key={id} id={id} {...page} />}</div>
      </div>
    </section>
  );
}

function QueueItem({ notice, current }: { notice: Notice; current: boolean }) {
  const submitted = notice.working?.submittedAt;
  return (
    <li class={current ? 'queue-item current' : 'queue-item'} data-notice-id={notice.id}>
      <a href={routeHash({ page: 'review', id: notice.id })} aria-current={current ? 'true' : undefined}>
        {notice.title}
      </a>
      <span class="queue-meta">
        {submitted !== null && submitted !== undefined && formatDateTime(submitted)} <DeadlineFlag deadline={notice.deadline} />
      </span>
    </li>
  );
}

function OpenReview({ id, ...page }: PageProps<ReviewData> & { id: string }) {
  const { t } = useI18n();
  const { notice, error, set } = useNotice(page.api, page.data, id);
  if (error)
    return (
      <p class="form-error" role="alert">
        {t.errors[error]}
      </p>
    );
  if (!notice) return <p class="loading">{t.common.loading}</p>;
  return (
    <ReviewDetail
      notice={notice}
      api={page.api}
      data={page.data}
      user={page.user}
      go={page.go}
      onChanged={(next) => {
        set(next);
        page.data.noticeChanged(next);
      }}
    />
  );
}
