/** One notice by id, kept current by the live link. */
import type { ErrorCode, Notice } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import type { AdminApi } from './api';
import { type AdminData, useNoticeChanges } from './useAdminData';

export interface LoadedNotice {
  notice: Notice | null;
  error: ErrorCode | null;
  /** Replaces the notice with one the API just returned. */
  set: (notice: Notice) => void;
}

export function useNotice(api: AdminApi, data: Pick<AdminData, 'subscribe' | 'remember'>, id: string | null): LoadedNotice {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);

  useEffect(() => {
    if (id === null) return;
    let current = true;
    void api.notice(id).then((ack) => {
      if (!current) return;
      if (ack.ok) {
        setNotice(ack.data);
        data.remember([ack.data]);
      } else setError(ack.error);
    });
    return () => {
      current = false;
    };
  }, [api, id]);

  useNoticeChanges(data, (changed) => {
    if (changed.id === id) setNotice(changed);
  });

  return { notice, error, set: setNotice };
}
