/**
 * One notice for reading: three text sizes, high contrast (both kept by the
 * shell for the whole visit), read-aloud where the device has a Mandarin
 * voice, a QR code to take the notice home on a phone, and the rating.
 */
import { type PlaylistItem, categoryLabel } from '@protocol';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatPostingPeriod, paragraphs, useTownOffset } from '../format';
import type { RecordInteraction } from '../interactions';
import { CorrectionNote, emergencyBanner } from '../NoticeCard';
import type { RatingGate } from '../ratingLimit';
import { type SpeechEngine, speak, useChineseVoice } from '../speech';
import { RatingPanel } from './RatingPanel';

export const TEXT_SIZES = [
  { value: 1, label: '标准' },
  { value: 2, label: '大' },
  { value: 3, label: '特大' },
] as const;
export type TextSize = (typeof TEXT_SIZES)[number]['value'];

type Panel = 'text' | 'qr' | 'rate';

export interface DetailProps {
  item: PlaylistItem;
  textSize: TextSize;
  onTextSize: (size: TextSize) => void;
  contrast: boolean;
  onContrast: (on: boolean) => void;
  speech: SpeechEngine | null;
  ratings: RatingGate;
  now: () => number;
  onInteraction?: RecordInteraction | undefined;
}

/** One page turn: most of the visible height, so the last line of a page is the first of the next. */
const pageStep = (visible: number): number => Math.max(1, Math.round(visible * 0.85));

/**
 * Where a scrolled text stands, in pages of {@link pageStep}: whether there is more above and below,
 * the page showing (the last once the end is in view) and how many there are.
 *
 * @example
 * pagesOf(0, 1000, 2700) // { up: false, down: true, page: 1, pages: 3 }
 */
export function pagesOf(scrollTop: number, visible: number, total: number): { up: boolean; down: boolean; page: number; pages: number } {
  const step = pageStep(visible);
  const hidden = Math.max(0, total - visible);
  const pages = hidden <= 2 ? 1 : Math.ceil(hidden / step) + 1;
  const atEnd = scrollTop + visible >= total - 2;
  const page = atEnd ? pages : Math.min(pages, Math.floor((scrollTop + 2) / step) + 1);
  return { up: scrollTop > 2, down: !atEnd, page, pages };
}

/** What read-aloud says: title, issuer, then the text. */
export function spokenText(item: PlaylistItem): string {
  return [item.title, `发布单位：${item.issuer}`, ...paragraphs(item.body)].join('。\n');
}

export function Detail({ item, textSize, onTextSize, contrast, onContrast, speech, ratings, now, onInteraction }: DetailProps) {
  const offset = useTownOffset();
  const voice = useChineseVoice(speech);
  const [reading, setReading] = useState(false);
  const [panel, setPanel] = useState<Panel>('text');
  const body = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState({ up: false, down: false, page: 1, pages: 1 });
  // A text longer than the screen gets page buttons and says which page is showing: swiping is not obvious to everyone.
  const measure = (): void => {
    const el = body.current;
    setMore(el ? pagesOf(el.scrollTop, el.clientHeight, el.scrollHeight) : { up: false, down: false, page: 1, pages: 1 });
  };
  useLayoutEffect(measure, [textSize, panel, item.contentHash]);
  // The page buttons appearing take height from the text: count the pages again whenever its box changes.
  useEffect(() => {
    const el = body.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => measure());
    observer.observe(el);
    return () => observer.disconnect();
  }, [panel]);
  const turn = (direction: 1 | -1): void => {
    const el = body.current;
    if (!el) return;
    // Turn to the start of the next or previous page, so the number said is the page shown.
    const { page, pages } = pagesOf(el.scrollTop, el.clientHeight, el.scrollHeight);
    const target = Math.min(pages, Math.max(1, page + direction));
    el.scrollTop = (target - 1) * pageStep(el.clientHeight);
    measure();
  };
  const report = (action: 'read_aloud' | 'qr_shown'): void =>
    onInteraction?.({ action, noticeId: item.noticeId, contentHash: item.contentHash });

  // Leaving the notice (back, idle, takeover) stops the voice.
  useEffect(() => () => speech?.cancel(), [speech, item.noticeId]);

  const toggleReading = (): void => {
    if (!speech || !voice) return;
    if (reading) {
      speech.cancel();
      setReading(false);
      return;
    }
    setReading(true);
    report('read_aloud');
    speak(speech, voice, spokenText(item), () => setReading(false));
  };
  const show = (next: Panel): void => {
    const target = panel === next ? 'text' : next;
    if (target === 'qr') report('qr_shown');
    setPanel(target);
  };

  return (
    <article class="detail" data-notice-id={item.noticeId} aria-labelledby="detail-title">
      <div class="detail-tools" role="toolbar" aria-label="阅读工具">
        <div class="tool-group" role="group" aria-label="字号">
          <span class="tool-label" aria-hidden="true">
            字号
          </span>
          {TEXT_SIZES.map((size) => (
            <button
              type="button"
              key={size.value}
              class="tool"
              aria-pressed={textSize === size.value}
              aria-label={`字号${size.label}`}
              onClick={() => onTextSize(size.value)}
            >
              {size.label}
            </button>
          ))}
        </div>
        <button type="button" class="tool" aria-pressed={contrast} onClick={() => onContrast(!contrast)}>
          高对比度
        </button>
        {speech && voice && (
          <button type="button" class="tool tool-speak" aria-pressed={reading} onClick={toggleReading}>
            {reading ? '停止朗读' : '朗读'}
          </button>
        )}
        <button type="button" class="tool" aria-expanded={panel === 'qr'} onClick={() => show('qr')}>
          手机扫码
        </button>
        <button type="button" class="tool" aria-expanded={panel === 'rate'} onClick={() => show('rate')}>
          评价
        </button>
      </div>
      {item.emergency && (
        <p class="notice-emergency detail-level" data-level={item.emergency.level}>
          {emergencyBanner(item.emergency.level)}
        </p>
      )}
      <h2 class="detail-title" id="detail-title">
        {item.title}
      </h2>
      <dl class="detail-meta">
        <div>
          <dt>发布单位</dt>
          <dd>{item.issuer}</dd>
        </div>
        {item.docNumber && (
          <div>
            <dt>文号</dt>
            <dd>{item.docNumber}</dd>
          </div>
        )}
        <div>
          <dt>类别</dt>
          <dd>{categoryLabel(item.category)}</dd>
        </div>
        <div>
          <dt>公示期</dt>
          <dd>{formatPostingPeriod(item.startsAt, item.endsAt, offset)}</dd>
        </div>
      </dl>
      <CorrectionNote item={item} extraClass="detail-correction" />
      {panel === 'qr' && (
        <section class="detail-qr" aria-labelledby="qr-title">
          <img class="qr" src={`/n/${encodeURIComponent(item.noticeId)}/qr.svg`} alt="本公告的二维码" width={360} height={360} />
          <div>
            <h3 class="qr-title" id="qr-title">
              用手机扫一扫
            </h3>
            <p class="qr-text">扫码后可在手机上查看这条公告的全文，方便保存和转给家人。</p>
            <button type="button" class="action" onClick={() => setPanel('text')}>
              返回正文
            </button>
          </div>
        </section>
      )}
      {panel === 'rate' && (
        <div class="detail-rate">
          <RatingPanel item={item} gate={ratings} now={now} onInteraction={onInteraction} onClose={() => setPanel('text')} />
        </div>
      )}
      {panel === 'text' && (
        <div class="detail-body scroll" ref={body} onScroll={measure} tabIndex={0} role="region" aria-label="公告正文">
          {paragraphs(item.body).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      )}
      {panel === 'text' && (more.up || more.down) && (
        <div class="pager" role="group" aria-label="翻页">
          <button type="button" class="action" disabled={!more.up} onClick={() => turn(-1)}>
            ▲ 上一页
          </button>
          <span class="pager-position" aria-live="polite">
            第 {more.page} / {more.pages} 页
          </span>
          <button type="button" class="action" disabled={!more.down} onClick={() => turn(1)}>
            ▼ 下一页
          </button>
        </div>
      )}
    </article>
  );
}
