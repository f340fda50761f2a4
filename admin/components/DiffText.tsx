import { useI18n } from '../i18n';
import type { DiffPart } from '../lib/diff';

/**
 * A word diff: deletions struck through, insertions underlined and shaded, each
 * also named in hidden words for screen readers (never told by colour alone).
 */
export function DiffText({ parts }: { parts: readonly DiffPart[] }) {
  const { t } = useI18n();
  return (
    <div class="diff">
      {parts.map((part, i) =>
        part.op === 'equal' ? (
          <span key={i}>{part.text}</span>
        ) : part.op === 'delete' ? (
          <del key={i}>
            <span class="sr-only">[{t.review.deleted}: </span>
            {part.text}
            <span class="sr-only">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span class="sr-only">[{t.review.inserted}: </span>
            {part.text}
            <span class="sr-only">]</span>
          </ins>
        ),
      )}
    </div>
  );
}
