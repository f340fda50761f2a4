import type { Notice, NoticeState } from '@protocol';
import { useI18n } from '../i18n';

/** A notice's state in words, coloured as a second cue; a published notice with a revision in progress says so. */
export function StateBadge({ notice }: { notice: Pick<Notice, 'state' | 'live' | 'working'> }) {
  const { t } = useI18n();
  const revising = notice.live !== null && notice.working !== null;
  const pending = notice.working?.state === 'pending_review';
  const state: NoticeState = notice.state;
  return (
    <span class={`badge badge-${revising && pending ? 'pending_review' : state}`} data-state={state}>
      {revising ? (pending ? t.revision.pending : t.revision.draft) : t.states[state]}
    </span>
  );
}
