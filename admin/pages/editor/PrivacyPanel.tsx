import { PrivacyHits } from '../../components/PrivacyHits';
import { useI18n } from '../../i18n';
import type { FieldHit, ScannedTexts } from '../../lib/privacy';

export interface PrivacyPanelProps {
  hits: readonly FieldHit[];
  texts: ScannedTexts;
  /** Saves the draft and has the controller mask it; absent when this user may not change the draft. */
  onMask?: () => void;
  busy: boolean;
}

/** The live privacy scan of what villagers will read, with 一键脱敏 when something is found. */
export function PrivacyPanel({ hits, texts, onMask, busy }: PrivacyPanelProps) {
  const { t } = useI18n();
  const p = t.privacy;
  return (
    <section class={hits.length > 0 ? 'privacy privacy-hits' : 'privacy privacy-clean'} aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{p.heading}</h2>
      <div aria-live="polite">
        {hits.length === 0 ? (
          <p class="privacy-clean-line">✓ {p.clean}</p>
        ) : (
          <>
            <p class="privacy-found">⚠ {p.found(hits.length)}</p>
            <PrivacyHits hits={hits} texts={texts} />
          </>
        )}
      </div>
      {hits.length > 0 && onMask && (
        <div class="actions">
          <button type="button" class="primary" onClick={onMask} disabled={busy} aria-describedby="privacy-mask-hint">
            {p.mask}
          </button>
          <p class="hint" id="privacy-mask-hint">
            {p.maskHint}
          </p>
        </div>
      )}
    </section>
  );
}
