import { describeHit, describeReason } from '@protocol';
import { useI18n } from '../i18n';
import { charPosition } from '../lib/format';
import type { FieldHit, ScannedTexts } from '../lib/privacy';

export interface PrivacyHitsProps {
  hits: readonly FieldHit[];
  /** The scanned texts, to count positions in characters. */
  texts: ScannedTexts;
}

/** Each personal value found: what it is, where it starts, why it was flagged, and what masking turns it into. */
export function PrivacyHits({ hits, texts }: PrivacyHitsProps) {
  const { t, locale } = useI18n();
  const p = t.privacy;
  return (
    <ul class="hits">
      {hits.map(({ field, hit }) => (
        <li key={`${field}-${hit.start}`} data-hit-kind={hit.kind} data-hit-field={field}>
          <strong>{describeHit(hit, locale)}</strong> · {p.at(p.fields[field], charPosition(texts[field] ?? '', hit.start))}:{' '}
          <code class="hit-text">{hit.text}</code> → {p.willBe} <code>{hit.masked}</code>
          <span class="hit-reason">
            {' '}
            ({p.why} {describeReason(hit.reason, locale)})
          </span>
        </li>
      ))}
    </ul>
  );
}
