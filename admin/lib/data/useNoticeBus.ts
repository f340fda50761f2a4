import type { Notice } from '@protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';

export type NoticeListener = (notice: Notice) => void;

/** Notice changes, told to every open page, and the titles seen so far. */
export interface NoticeBus {
  /** Applies a notice the API just returned, before the broadcast arrives: every open page hears of it. */
  noticeChanged: NoticeListener;
  /** Calls `listener` with every changed notice until the returned function is called. */
  subscribe: (listener: NoticeListener) => () => void;
  /** Notice titles seen so far, by id (for display records). */
  titles: ReadonlyMap<string, string>;
  remember: (notices: readonly Notice[]) => void;
}

/** Notices are paged and filtered, so pages fetch their own and hear of changes here. */
export function useNoticeBus(): NoticeBus {
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  const listeners = useRef(new Set<NoticeListener>());

  const remember = useCallback((notices: readonly Notice[]) => {
    setTitles((known) => {
      if (notices.every((n) => known.get(n.id) === n.title)) return known;
      const next = new Map(known);
      for (const n of notices) next.set(n.id, n.title);
      return next;
    });
  }, []);

  const noticeChanged = useCallback(
    (notice: Notice) => {
      remember([notice]);
      for (const listener of listeners.current) listener(notice);
    },
    [remember],
  );

  const subscribe = useCallback((listener: NoticeListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  return useMemo(() => ({ noticeChanged, subscribe, titles, remember }), [noticeChanged, subscribe, titles, remember]);
}

/** Runs `listener` for every notice change while the component is mounted. */
export function useNoticeChanges(bus: Pick<NoticeBus, 'subscribe'>, listener: NoticeListener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => bus.subscribe((notice) => latest.current(notice)), [bus.subscribe]);
}
