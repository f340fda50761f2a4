/** Browsing the notices on this kiosk: category tiles with counts, a list, and search with the on-screen keyboard. */
import { CATEGORIES, type CategoryCode, type PlaylistItem, categoryLabel } from '@protocol';
import { formatPostingPeriod, useTownOffset } from '../format';
import { searchItems } from '../search';
import { Keyboard } from './Keyboard';

export interface CategoryCount {
  code: CategoryCode;
  label: string;
  count: number;
}

/** The categories present in `items`, in the taxonomy's order, with how many notices each has. */
export function categoryCounts(items: readonly PlaylistItem[]): CategoryCount[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.category, (counts.get(item.category) ?? 0) + 1);
  return CATEGORIES.filter((c) => counts.has(c.code)).map((c) => ({ code: c.code, label: c.label, count: counts.get(c.code) ?? 0 }));
}

export interface CategoryTilesProps {
  items: readonly PlaylistItem[];
  onPick: (category: CategoryCode | null) => void;
  onSearch: () => void;
}

export function CategoryTiles({ items, onPick, onSearch }: CategoryTilesProps) {
  return (
    <section class="browse" aria-labelledby="browse-title">
      <h2 class="browse-title" id="browse-title">
        请选择要查看的公告类别
      </h2>
      <ul class="tiles">
        <li>
          <button type="button" class="tile tile-all" onClick={() => onPick(null)}>
            <span class="tile-label">全部公告</span>
            <span class="tile-count">{items.length} 条</span>
          </button>
        </li>
        {categoryCounts(items).map((c) => (
          <li key={c.code}>
            <button type="button" class="tile" data-category={c.code} onClick={() => onPick(c.code)}>
              <span class="tile-label">{c.label}</span>
              <span class="tile-count">{c.count} 条</span>
            </button>
          </li>
        ))}
        <li>
          <button type="button" class="tile tile-search" onClick={onSearch}>
            <span class="tile-label">搜索公告</span>
            <span class="tile-count">可输入拼音首字母</span>
          </button>
        </li>
      </ul>
    </section>
  );
}

export interface NoticeListProps {
  items: readonly PlaylistItem[];
  onOpen: (item: PlaylistItem) => void;
  /** Shown when the list is empty. */
  empty: string;
  label: string;
}

export function NoticeList({ items, onOpen, empty, label }: NoticeListProps) {
  const offset = useTownOffset();
  if (items.length === 0) return <p class="list-empty">{empty}</p>;
  return (
    <ul class="notice-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.noticeId}>
          <button type="button" class="list-item" data-notice-id={item.noticeId} onClick={() => onOpen(item)}>
            <span class="list-title">
              {item.emergency && <span class="list-flag">预警</span>}
              {item.correction && <span class="list-flag list-flag-correction">更正</span>}
              {item.title}
            </span>
            <span class="list-meta">
              {item.issuer} · {categoryLabel(item.category)} · {formatPostingPeriod(item.startsAt, item.endsAt, offset)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export interface CategoryListProps {
  items: readonly PlaylistItem[];
  category: CategoryCode | null;
  onOpen: (item: PlaylistItem) => void;
}

export function CategoryList({ items, category, onOpen }: CategoryListProps) {
  const shown = category === null ? items : items.filter((i) => i.category === category);
  const title = category === null ? '全部公告' : categoryLabel(category);
  return (
    <section class="browse" aria-labelledby="list-title">
      <h2 class="browse-title" id="list-title">
        {title}
        <span class="browse-count">共 {shown.length} 条</span>
      </h2>
      <div class="scroll" tabIndex={0} role="region" aria-label={`${title}列表`}>
        <NoticeList items={shown} onOpen={onOpen} empty="这一类暂时没有公告。" label={title} />
      </div>
    </section>
  );
}

export interface SearchScreenProps {
  items: readonly PlaylistItem[];
  query: string;
  onQuery: (query: string) => void;
  onOpen: (item: PlaylistItem) => void;
}

/** Search by pinyin initials (dbgs → 低保公示), digits or words. */
export function SearchScreen({ items, query, onQuery, onOpen }: SearchScreenProps) {
  const hits = searchItems(items, query).map((h) => h.item);
  return (
    <section class="browse search" aria-labelledby="search-title">
      <h2 class="browse-title" id="search-title">
        搜索公告
      </h2>
      <div class="search-box">
        <span class="search-label" id="search-query-label">
          输入拼音首字母或数字
        </span>
        <output class="search-query" aria-labelledby="search-query-label" aria-live="polite">
          {query === '' ? <span class="search-hint">例如“低保公示”输入 DBGS</span> : query.toUpperCase()}
        </output>
      </div>
      <div class="scroll search-results" tabIndex={0} role="region" aria-label="搜索结果">
        {query !== '' && (
          <p class="search-count" role="status">
            找到 {hits.length} 条
          </p>
        )}
        {query !== '' && <NoticeList items={hits} onOpen={onOpen} empty="没有找到，请换个字母试试。" label="搜索结果" />}
      </div>
      <Keyboard onKey={(k) => onQuery(query + k)} onBackspace={() => onQuery(query.slice(0, -1))} onClear={() => onQuery('')} />
    </section>
  );
}
