/** Words for protocol values that several screens show. */
import { type CategoryDef, CATEGORIES, type NoticeTarget, type Village } from '@protocol';
import type { Dictionary } from '../i18n';

export function describeTarget(t: Dictionary, target: NoticeTarget, villages: readonly Village[]): string {
  if (target.scope === 'town') return t.notices.townWide;
  return target.villageIds.map((id) => villages.find((v) => v.id === id)?.name ?? id).join('、');
}

/** The categories by their group (条例 Art. 20, Art. 21, 三务), for `<optgroup>`s. */
export const CATEGORY_GROUPS: readonly { group: CategoryDef['group']; categories: readonly CategoryDef[] }[] = (
  ['art20', 'art21', 'village'] as const
).map((group) => ({ group, categories: CATEGORIES.filter((c) => c.group === group) }));
