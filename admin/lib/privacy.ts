/** The privacy gate's scan over the parts of a notice villagers read, as the controller runs it at submission. */
import { type PiiHit, scanPii } from '@protocol';

export const SCANNED_FIELDS = ['title', 'body', 'ledText', 'docNumber', 'issuer'] as const;
export type ScannedField = (typeof SCANNED_FIELDS)[number];

/** The scanned fields' texts; a notice without a 文号 has null there. */
export type ScannedTexts = Readonly<Record<ScannedField, string | null>>;

export interface FieldHit {
  field: ScannedField;
  hit: PiiHit;
}

/**
 * Every unmasked personal value in the title, text, LED text, 文号 and 发布单位, field by field.
 *
 * @example
 * privacyHits({ title: '公示', body: '电话 13812345678', ledText: '' }); // [{ field: 'body', hit: { kind: 'mobile', … } }]
 */
export function privacyHits(content: ScannedTexts): FieldHit[] {
  return SCANNED_FIELDS.flatMap((field) => scanPii(content[field] ?? '').map((hit) => ({ field, hit })));
}
