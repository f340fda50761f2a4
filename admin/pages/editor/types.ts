import type { Failure } from '@protocol';
import type { NoticeDraft } from '../../lib/noticeDraft';

/** What each group of editor fields gets: the form, a way to change it, and the last refusal. */
export interface DraftFieldsProps {
  draft: NoticeDraft;
  update: (patch: Partial<NoticeDraft>) => void;
  failure: Failure | null;
}
