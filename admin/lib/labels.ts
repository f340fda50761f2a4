/** Words for protocol values that several screens show. */
import { type CategoryDef, CATEGORIES, type KeyArea, type NoticeTarget, type Village, keyAreaLabel } from '@protocol';
import type { Dictionary } from '../i18n';

/** The language the protocol's category and key-area labels come in, for a dictionary. */
export function labelLang(t: Dictionary): 'zh' | 'en' {
  return t.locale === 'en' ? 'en' : 'zh';
}

/** Key areas in the reader's language, joined as a list. */
export function describeKeyAreas(t: Dictionary, areas: readonly KeyArea[]): string {
  const lang = labelLang(t);
  return areas.map((a) => keyAreaLabel(a, lang)).join(lang === 'en' ? ', ' : '、');
}

export function describeTarget(t: Dictionary, target: NoticeTarget, villages: readonly Village[]): string {
  if (target.scope === 'town') return t.notices.townWide;
  return target.villageIds.map((id) => villages.find((v) => v.id === id)?.name ?? id).join('、');
}

/** The categories by their group (条例 Art. 20, Art. 21, 三务), for `<optgroup>`s. */
export const CATEGORY_GROUPS: readonly { group: CategoryDef['group']; categories: readonly CategoryDef[] }[] = (
  ['art20', 'art21', 'village'] as const
).map((group) => ({ group, categories: CATEGORIES.filter((c) => c.group === group) }));
