/** 满意度: five big buttons, an optional short comment picked from phrases (no typing), and a kind limit per notice. */
import { type PlaylistItem, SATISFACTION_LEVELS } from '@protocol';
import { useState } from 'preact/hooks';
import type { RecordInteraction } from '../interactions';
import { RATING_INTERVAL_MIN, type RatingGate } from '../ratingLimit';

/** Short comments a villager can add with one touch. */
export const COMMENT_PHRASES = ['内容清楚', '看不太懂', '希望说得更详细', '字太小', '公示很及时'] as const;

export interface RatingPanelProps {
  item: PlaylistItem;
  gate: RatingGate;
  now: () => number;
  onInteraction?: RecordInteraction | undefined;
  /** Back to the notice's text. */
  onClose: () => void;
}

export function RatingPanel({ item, gate, now, onInteraction, onClose }: RatingPanelProps) {
  const close = (
    <button type="button" class="action" onClick={onClose}>
      返回正文
    </button>
  );
  const [choice, setChoice] = useState<number | null>(null);
  const [comment, setComment] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const waitMs = gate.nextAllowedAt(item.noticeId) - now();

  if (sent) {
    return (
      <section class="rating" aria-labelledby="rating-title">
        <h3 class="rating-title" id="rating-title">
          谢谢您的评价！
        </h3>
        <p class="rating-note" role="status">
          您的意见会转给发布单位。
        </p>
        {close}
      </section>
    );
  }
  if (waitMs > 0) {
    return (
      <section class="rating" aria-labelledby="rating-title">
        <h3 class="rating-title" id="rating-title">
          您已经评价过这条公告，谢谢！
        </h3>
        <p class="rating-note" role="status">
          为了让更多人参与，每条公告在这台屏幕上{RATING_INTERVAL_MIN}分钟内只能评价一次。请约{Math.max(1, Math.ceil(waitMs / 60_000))}
          分钟后再来。
        </p>
        {close}
      </section>
    );
  }

  const submit = (): void => {
    if (choice === null) return;
    gate.record(item.noticeId);
    onInteraction?.({
      action: 'rated',
      noticeId: item.noticeId,
      contentHash: item.contentHash,
      rating: choice,
      ...(comment ? { comment } : {}),
    });
    setSent(true);
  };

  return (
    <section class="rating" aria-labelledby="rating-title">
      <h3 class="rating-title" id="rating-title">
        您对这条公告满意吗？
      </h3>
      <div class="rating-levels" role="group" aria-label="满意程度">
        {SATISFACTION_LEVELS.map((level) => (
          <button
            type="button"
            key={level.value}
            class={`rating-level rating-${level.value}`}
            aria-pressed={choice === level.value}
            onClick={() => setChoice(level.value)}
          >
            {level.label}
          </button>
        ))}
      </div>
      {choice !== null && (
        <>
          <p class="rating-note">想补充一句吗？（可不选）</p>
          <div class="rating-comments" role="group" aria-label="补充意见">
            {COMMENT_PHRASES.map((phrase) => (
              <button
                type="button"
                key={phrase}
                class="chip"
                aria-pressed={comment === phrase}
                onClick={() => setComment(comment === phrase ? null : phrase)}
              >
                {phrase}
              </button>
            ))}
          </div>
        </>
      )}
      <div class="rating-actions">
        {choice !== null && (
          <button type="button" class="action action-primary rating-submit" onClick={submit}>
            提交评价
          </button>
        )}
        {close}
      </div>
    </section>
  );
}
