import { EMERGENCY_LEVEL_WORDS, type EmergencyLevel, type PlaylistItem } from '@protocol';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatPostingPeriod, paragraphs, useTownOffset } from './format';

/** Seconds the start and the end of a long text stay still before and after scrolling. */
const SCROLL_PAUSE_SEC = 3;

/** A short line ending in a colon (各村村民：) is the addressee; like an official document it is not indented. */
const isSalutation = (paragraph: string): boolean => paragraph.length <= 24 && /[:：]$/.test(paragraph);

/** 红色预警（一级）: the level in words, so the warning is never told by colour alone. */
export const emergencyBanner = (level: EmergencyLevel): string => {
  const words = EMERGENCY_LEVEL_WORDS[level];
  return `${words.colour}预警（${words.grade}）`;
};

/** 更正: the reason a corrected notice carries, on the rotating card and on the detail page alike. */
export function CorrectionNote({ item, extraClass }: { item: PlaylistItem; extraClass?: string }) {
  if (!item.correction) return null;
  return (
    <p class={extraClass ? `notice-correction ${extraClass}` : 'notice-correction'}>
      <strong>更正</strong>
      {item.correction.reason}
    </p>
  );
}

export interface NoticeCardProps {
  item: PlaylistItem;
}

/** One notice in large type. Text is rendered as text, never as HTML. */
export function NoticeCard({ item }: NoticeCardProps) {
  const offset = useTownOffset();
  const viewport = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState(0);

  // A text longer than the card scrolls slowly within the card's time instead of being cut off.
  useLayoutEffect(() => {
    const outer = viewport.current;
    const inner = content.current;
    setOverflow(outer && inner ? Math.max(0, inner.scrollHeight - outer.clientHeight) : 0);
  }, [item.noticeId, item.contentHash]);

  const scrollSec = Math.max(1, item.durationSec - 2 * SCROLL_PAUSE_SEC);
  const scrollStyle =
    overflow > 0
      ? { '--scroll-distance': `${overflow}px`, '--scroll-time': `${scrollSec}s`, '--scroll-delay': `${SCROLL_PAUSE_SEC}s` }
      : undefined;

  return (
    <article
      class={item.emergency ? `notice-card emergency-${item.emergency.level}` : 'notice-card'}
      data-notice-id={item.noticeId}
      data-content-hash={item.contentHash}
      aria-labelledby={`notice-${item.noticeId}`}
    >
      {item.emergency && (
        <p class="notice-emergency" data-level={item.emergency.level}>
          {emergencyBanner(item.emergency.level)}
        </p>
      )}
      <h2 class="notice-title" id={`notice-${item.noticeId}`}>
        {item.title}
      </h2>
      <dl class="notice-meta">
        <div>
          <dt>发布单位</dt>
          <dd>{item.issuer}</dd>
        </div>
        <div>
          <dt>公示期</dt>
          <dd>{formatPostingPeriod(item.startsAt, item.endsAt, offset)}</dd>
        </div>
      </dl>
      <CorrectionNote item={item} />
      <div class={overflow > 0 ? 'notice-body overflowing' : 'notice-body'} ref={viewport}>
        <div class={overflow > 0 ? 'notice-text scrolling' : 'notice-text'} ref={content} style={scrollStyle}>
          {paragraphs(item.body).map((p, i) => (
            <p key={i} class={isSalutation(p) ? 'salutation' : undefined}>
              {p}
            </p>
          ))}
        </div>
      </div>
    </article>
  );
}
