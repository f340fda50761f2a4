/** The privacy gate's scan over the parts of a notice villagers read, as the controller runs it at submission. */
import { type NoticeContent, type PiiHit, scanPii } from '@protocol';

export const SCANNED_FIELDS = ['title', 'body', 'ledText'] as const;
export type ScannedField = (typeof SCANNED_FIELDS)[number];

export interface FieldHit {
  field: ScannedField;
  hit: PiiHit;
}

/**
 * Every unmasked personal value in the title, text and LED text, field by field.
 *
 * @example
 * privacyHits({ title: '公示', body: '电话 13812345678', ledText: '' }); // [{ field: 'body', hit: { kind: 'mobile', … } }]
 */
export function privacyHits(content: Pick<NoticeContent, ScannedField>): FieldHit[] {
  return SCANNED_FIELDS.flatMap((field) => scanPii(content[field]).map((hit) => ({ field, hit })));
}
