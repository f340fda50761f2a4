/** Snapshot-then-deltas helpers: merge a pushed item into a list without mutating it. */
import type { DisplayRecord } from '@protocol';

/** Replaces the item with the same id, or puts the new one first (lists are newest first). */
export function upsertById<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const index = list.findIndex((x) => x.id === item.id);
  if (index < 0) return [item, ...list];
  return list.map((x, i) => (i === index ? item : x));
}

/** Merges into the item with the same id, keeping fields the update lacks; null when the id is unknown. */
export function mergeById<T extends { id: string }, U extends { id: string }>(list: readonly T[], update: U): T[] | null {
  return list.some((x) => x.id === update.id) ? list.map((x) => (x.id === update.id ? { ...x, ...update } : x)) : null;
}

/** Puts a live record first unless it is already listed (a reload may have fetched it), capped at `max`. */
export function prependRecord(list: readonly DisplayRecord[], record: DisplayRecord, max = 500): DisplayRecord[] {
  if (list.some((r) => r.receiptId === record.receiptId)) return [...list];
  return [record, ...list].slice(0, max);
}
