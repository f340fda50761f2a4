import type { NoticeState } from '@protocol';
import { useI18n } from '../i18n';

/** A notice's state in words, coloured as a second cue. */
export function StateBadge({ state }: { state: NoticeState }) {
  const { t } = useI18n();
  return (
    <span class={`badge badge-${state}`} data-state={state}>
      {t.states[state]}
    </span>
  );
}
