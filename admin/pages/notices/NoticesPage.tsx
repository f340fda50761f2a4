import type { ErrorCode } from '@protocol';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { Pager } from '../../components/Pager';
import { useI18n } from '../../i18n';
import type { NoticePage } from '../../lib/api';
import { canWrite } from '../../lib/permissions';
import { useNoticeChanges } from '../../lib/useAdminData';
import type { PageProps } from '../types';
import { NO_FILTERS, type NoticeFilterValues, NoticeFilters } from './NoticeFilters';
import { NoticeTable } from './NoticeTable';

export const PAGE_SIZE = 20;

/** 公告: filters, one page of notices, paging; new notices start here. */
export function NoticesPage({ api, data, user, go }: PageProps<'town' | 'calendar' | 'subscribe' | 'remember'>) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<NoticeFilterValues>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<NoticePage | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);

  const load = useCallback(async () => {
    const ack = await api.notices({
      ...(filters.state && { state: filters.state }),
      ...(filters.category && { category: filters.category }),
      ...(filters.villageId && { villageId: filters.villageId }),
      ...(filters.from && { from: filters.from }),
      ...(filters.to && { to: filters.to }),
      ...(filters.q.trim() && { q: filters.q.trim() }),
      page,
      pageSize: PAGE_SIZE,
    });
    if (!ack.ok) return setError(ack.error);
    setError(null);
    setResult(ack.data);
    data.remember(ack.data.items);
  }, [api, filters, page, data.remember]);

  useEffect(() => void load(), [load]);
  // Show the change at once; it may also move a notice into or out of this page, so ask again rather than guess.
  useNoticeChanges(data, (changed) => {
    setResult((r) => r && { ...r, items: r.items.map((n) => (n.id === changed.id ? changed : n)) });
    void load();
  });

  return (
    <section aria-labelledby="notices-heading">
      <div class="section-head">
        <h1 id="notices-heading">{t.notices.heading}</h1>
        {canWrite(user) && (
          <button type="button" class="primary" onClick={() => go({ page: 'editor', id: null, correct: false })}>
            {t.notices.create}
          </button>
        )}
      </div>
      <NoticeFilters
        initial={filters}
        villages={data.town?.villages ?? []}
        onApply={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      {error && (
        <p class="form-error" role="alert">
          <strong>{t.errors[error]}</strong>
        </p>
      )}
      {result === null ? (
        <p class="loading">{t.common.loading}</p>
      ) : (
        <>
          <NoticeTable notices={result.items} villages={data.town?.villages ?? []} calendar={data.calendar} />
          <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
