import type { SignPreset } from '@protocol';
import { useI18n } from '../../i18n';
import type { LedReport } from '../../lib/led';

export interface LedPreviewProps {
  preset: SignPreset;
  report: LedReport | null;
}

/** Each screen of the LED text at the sign's proportions, lines as the sign's font card wraps them. */
export function LedPreview({ preset, report }: LedPreviewProps) {
  const { t, locale } = useI18n();
  const e = t.editor;
  const { widthPx, heightPx } = preset.geometry;
  const pages = report?.layout.pages ?? [];
  const unsupported = new Set(report?.stats.unsupported.map((u) => u.char));
  return (
    <figure class="led-preview" aria-labelledby="led-preview-caption">
      <figcaption id="led-preview-caption">
        {e.ledPreview} · {locale === 'en' ? preset.labelEn : preset.label}
      </figcaption>
      <ol class="led-pages">
        {pages.map((lines, i) => (
          <li key={i} class="led-page">
            <span class="led-page-number">{e.ledPage(i + 1, pages.length)}</span>
            <div
              class="led-screen"
              lang="zh-CN"
              style={{
                aspectRatio: `${widthPx} / ${heightPx}`,
                '--led-lines': String(report?.layout.linesPerPage ?? 1),
                '--led-units': String(report?.layout.unitsPerLine ?? 1),
              }}
            >
              {lines.map((line, j) => (
                <div key={j} class="led-line">
                  {[...line].map((char, k) => (
                    <span key={k} class={unsupported.has(char) ? 'led-char led-missing' : 'led-char'}>
                      {char}
                    </span>
                  ))}
                </div>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}
