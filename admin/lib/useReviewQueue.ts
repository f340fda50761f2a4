/**
 * 待审核: every notice whose working version waits for review, oldest
 * submission first. A revision of a published notice lists as `approved`
 * (its live version's state), so the queue asks for both states and keeps
 * the notices whose working version is pending.
 */
import type { Notice } from '@protocol';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminApi } from './api';
import { type AdminData, useNoticeChanges } from './useAdminData';

/** The most the controller lists per page; a queue longer than this is a backlog to fix, not to page through. */
const QUEUE_PAGE = 200;

export interface ReviewQueue {
  notices: Notice[];
  loaded: boolean;
  reload: () => Promise<void>;
}

export const isPending = (n: Notice): boolean => n.working?.state === 'pending_review';

export function useReviewQueue(api: AdminApi, data: Pick<AdminData, 'subscribe' | 'remember'>, enabled: boolean): ReviewQueue {
  const [notices, setNotices] = useState<Notice[]>([]);
  const [loaded, setLoaded] = useState(false);

  const reload = useCallback(async () => {
    if (!enabled) return;
    const [pending, published] = await Promise.all([
      api.notices({ state: 'pending_review', pageSize: QUEUE_PAGE }),
      api.notices({ state: 'approved', pageSize: QUEUE_PAGE }),
    ]);
    const all = [...(pending.ok ? pending.data.items : []), ...(published.ok ? published.data.items : [])];
    data.remember(all);
    setNotices(all.filter(isPending).sort((a, b) => (a.working?.submittedAt ?? 0) - (b.working?.submittedAt ?? 0)));
    setLoaded(true);
  }, [api, enabled, data.remember]);

  useEffect(() => void reload(), [reload]);

  useNoticeChanges(data, (changed) => {
    if (!enabled) return;
    setNotices((list) => {
      const others = list.filter((n) => n.id !== changed.id);
      if (!isPending(changed)) return others;
      return [...others, changed].sort((a, b) => (a.working?.submittedAt ?? 0) - (b.working?.submittedAt ?? 0));
    });
  });

  return { notices, loaded, reload };
}
