import { useI18n } from '../i18n';

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

/** 上一页 / 下一页 with where the reader is; hidden when everything fits on one page. */
export function Pager({ page, pageSize, total, onPage }: PagerProps) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav class="pager" aria-label={t.notices.pager}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.notices.prev}
      </button>
      <span class="pager-where" aria-live="polite">
        {t.notices.page(page, pages, total)}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t.notices.next}
      </button>
    </nav>
  );
}
