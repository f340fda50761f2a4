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

/**
 * Adds a batch of live records to a newest-first list, skipping any already listed (a reload may have fetched
 * them, or a batch repeat one), newest (highest ledger seq) first, capped at `max`.
 */
export function prependRecords(list: readonly DisplayRecord[], batch: readonly DisplayRecord[], max = 500): DisplayRecord[] {
  const listed = new Set(list.map((r) => r.receiptId));
  const fresh = new Map<string, DisplayRecord>();
  for (const r of batch) if (!listed.has(r.receiptId)) fresh.set(r.receiptId, r);
  if (fresh.size === 0) return [...list];
  return [...fresh.values(), ...list].sort((a, b) => b.seq - a.seq).slice(0, max);
}
