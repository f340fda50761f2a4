import { EMERGENCY_LEVEL_WORDS, type EmergencyLevel } from '@protocol';
import { useI18n } from '../../i18n';
import { formatCivilDate } from '../../lib/format';
import type { WindowPreview } from '../../lib/posting';

export interface KioskPreviewProps {
  title: string;
  body: string;
  issuer: string;
  window: WindowPreview | null;
  emergency: EmergencyLevel | null;
  correction: string | null;
}

/** Plain text into paragraphs at blank lines, as the kiosk splits it. */
const paragraphs = (body: string): string[] =>
  body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** The notice as the village kiosk will show it: large title, issuer, posting period, text (always in Chinese, like the kiosk). */
export function KioskPreview({ title, body, issuer, window, emergency, correction }: KioskPreviewProps) {
  const { t } = useI18n();
  const e = t.editor;
  const period = window
    ? window.end === null
      ? `${formatCivilDate(window.start)} 起，长期`
      : `${formatCivilDate(window.start)} 至 ${formatCivilDate(window.end)}`
    : '';
  return (
    <figure class="kiosk-preview" lang="zh-CN" aria-labelledby="kiosk-preview-caption">
      <figcaption id="kiosk-preview-caption">{e.kioskPreview}</figcaption>
      <div class="kp-screen">
        {emergency && (
          <p class={`kp-emergency kp-emergency-${emergency}`}>
            {e.previewEmergency(EMERGENCY_LEVEL_WORDS[emergency].colour, EMERGENCY_LEVEL_WORDS[emergency].grade)}
          </p>
        )}
        <p class="kp-title">{title || '—'}</p>
        <dl class="kp-meta">
          <div>
            <dt>{e.previewIssuer}</dt>
            <dd>{issuer}</dd>
          </div>
          <div>
            <dt>{e.previewPeriod}</dt>
            <dd>{period}</dd>
          </div>
        </dl>
        {correction && (
          <p class="kp-correction">
            <strong>{e.previewCorrection}：</strong>
            {correction}
          </p>
        )}
        <div class="kp-body">
          {paragraphs(body).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      </div>
    </figure>
  );
}
