/**
 * Offline search over the kiosk's stored playlist: by hanzi, digits, or the
 * pinyin initials of the title (低保公示 → "dbgs", computed by the controller
 * into `PlaylistItem.initials`). Pure; best matches first.
 */
import type { PlaylistItem } from '@protocol';

export interface SearchHit {
  item: PlaylistItem;
  score: number;
}

/** Length of the shortest stretch of `text` holding the letters of `query` in order, or -1. */
export function subsequenceSpan(text: string, query: string): number {
  let best = -1;
  for (let start = text.indexOf(query[0] ?? ''); start >= 0 && query.length > 0; start = text.indexOf(query[0] ?? '', start + 1)) {
    let at = start;
    let ok = true;
    for (let i = 1; i < query.length; i += 1) {
      at = text.indexOf(query[i] ?? '', at + 1);
      if (at < 0) {
        ok = false;
        break;
      }
    }
    if (!ok) break;
    const span = at - start + 1;
    if (best < 0 || span < best) best = span;
  }
  return best;
}

/** How well `item` matches the normalised `query`; 0 = not at all. */
export function scoreItem(item: PlaylistItem, query: string): number {
  const initials = item.initials ?? '';
  const title = item.title.toLowerCase();
  let score = 0;
  if (title.includes(query)) score = Math.max(score, 300 - title.indexOf(query));
  const at = initials.indexOf(query);
  if (at >= 0) score = Math.max(score, 200 - at);
  // Initials in order with others between them (dbgs in 张堂村低保对象动态调整公示): looser, so lower.
  if (query.length >= 2 && /^[a-z0-9]+$/.test(query)) {
    const span = subsequenceSpan(initials, query);
    if (span > 0) score = Math.max(score, 100 - span);
  }
  if (score === 0 && `${item.body}\n${item.issuer}\n${item.docNumber ?? ''}`.toLowerCase().includes(query)) score = 10;
  return score;
}

/**
 * The items matching `query`, best first (ties keep playlist order).
 *
 * @example
 * searchItems(items, 'dbgs').map((h) => h.item.title); // ['张堂村低保对象动态调整公示']
 */
export function searchItems(items: readonly PlaylistItem[], query: string): SearchHit[] {
  const q = query.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  if (q === '') return [];
  return items
    .map((item, index) => ({ item, score: scoreItem(item, q), index }))
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ item, score }) => ({ item, score }));
}
