/** Notice content fields in words, for the review comparison. */
import { EMERGENCY_LEVEL_WORDS, type NoticeContent, type PostingRule, type Village, categoryLabel } from '@protocol';
import type { Dictionary } from '../i18n';
import { formatDateTime } from './format';
import { describeKeyAreas, describeTarget, labelLang } from './labels';

/** The fields compared as text with a word diff; the rest are compared as values. */
export const TEXT_FIELDS = ['title', 'body', 'ledText'] as const;
export const VALUE_FIELDS = [
  'category',
  'keyAreas',
  'docNumber',
  'docType',
  'issuer',
  'formedOn',
  'target',
  'posting',
  'priority',
  'emergency',
  'retention',
] as const satisfies readonly (keyof NoticeContent)[];
export type ValueField = (typeof VALUE_FIELDS)[number];

function describeRule(t: Dictionary, rule: PostingRule): string {
  const e = t.editor;
  switch (rule.kind) {
    case 'calendar_days':
      return `${e.rules.calendar_days} ${rule.days}`;
    case 'working_days':
      return `${e.rules.working_days} ${rule.days}`;
    case 'until':
      return `${e.rules.until} ${rule.end}`;
    case 'long_term':
      return e.rules.long_term;
  }
}

/** One content field as a line of text. */
export function describeField(t: Dictionary, field: ValueField, content: NoticeContent, villages: readonly Village[]): string {
  switch (field) {
    case 'category':
      return categoryLabel(content.category, labelLang(t));
    case 'keyAreas':
      return describeKeyAreas(t, content.keyAreas) || t.common.none;
    case 'docNumber':
      return content.docNumber ?? t.common.none;
    case 'docType':
      // Absent means an ordinary notice, which the annual report's table 2 does not count.
      return t.editor.docTypes[content.docType ?? 'none'];
    case 'issuer':
      return content.issuer;
    case 'formedOn':
      return content.formedOn;
    case 'target':
      return describeTarget(t, content.target, villages);
    case 'posting':
      return `${content.posting.start} · ${describeRule(t, content.posting.rule)}`;
    case 'priority':
      return String(content.priority);
    case 'emergency': {
      const em = content.emergency;
      if (!em) return t.common.none;
      const words = EMERGENCY_LEVEL_WORDS[em.level];
      return `${words.colour}（${words.grade}）→ ${formatDateTime(em.expiresAt)}`;
    }
    case 'retention':
      return t.editor.retentions[content.retention];
  }
}
