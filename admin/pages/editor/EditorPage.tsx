import { type Failure, type Notice, civilDateOf } from '@protocol';
import { useMemo, useRef, useState } from 'preact/hooks';
import { FailureMessage, Flash } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import { DEFAULT_SIGN, effectiveLedText, ledReport } from '../../lib/led';
import { type NoticeDraft, draftFromContent, emptyDraft } from '../../lib/noticeDraft';
import { mayTarget, ownVillages, villageScope } from '../../lib/permissions';
import { previewWindow } from '../../lib/posting';
import { privacyHits } from '../../lib/privacy';
import { routeHash } from '../../lib/route';
import { useNotice } from '../../lib/useNotice';
import type { PageProps } from '../types';
import { ContentFields } from './ContentFields';
import { CorrectionField } from './CorrectionField';
import { DisplayFields } from './DisplayFields';
import { KioskPreview } from './KioskPreview';
import { LedFields } from './LedFields';
import { LedPreview } from './LedPreview';
import { PostingFields } from './PostingFields';
import { PrivacyPanel } from './PrivacyPanel';
import { SourceFields } from './SourceFields';
import { SubmitBlocked } from './SubmitBlocked';
import { TargetFields } from './TargetFields';
import { useNoticeDraft } from './useNoticeDraft';

export interface EditorPageProps extends PageProps<'town' | 'calendar' | 'noticeChanged' | 'subscribe' | 'remember'> {
  /** The notice to edit, or null for a new one. */
  id: string | null;
  /** Opened as 更正: the correction reason is required. */
  correct: boolean;
}

/** Loads the notice (if any), then shows the form for its working or live version. */
export function EditorPage(props: EditorPageProps) {
  const { t } = useI18n();
  const { notice, error } = useNotice(props.api, props.data, props.id);
  if (props.id !== null && error) {
    return (
      <p class="form-error" role="alert">
        <strong>{t.errors[error]}</strong>
      </p>
    );
  }
  if (props.id !== null && !notice) return <p class="loading">{t.common.loading}</p>;
  return <NoticeEditor {...props} notice={notice} />;
}

function NoticeEditor({ api, data, user, go, correct, notice: loaded }: EditorPageProps & { notice: Notice | null }) {
  const { t } = useI18n();
  const e = t.editor;
  const calendar = data.calendar;
  const today = civilDateOf(Date.now());
  const villages = useMemo(() => ownVillages(user, data.town?.villages ?? []), [data.town, user]);
  const [initial] = useState<NoticeDraft>(() => {
    const content = loaded?.working?.content ?? loaded?.live?.content;
    return content ? draftFromContent(content) : emptyDraft(today, villageScope(user) ?? []);
  });
  const editor = useNoticeDraft({ api, data, initial, notice: loaded, correct });
  const { draft, update, notice } = editor;
  const [preset, setPreset] = useState(DEFAULT_SIGN);
  const heading = useRef<HTMLHeadingElement>(null);

  const published = notice?.live !== null && notice?.live !== undefined;
  const locked = notice?.working?.state === 'pending_review';
  const rejected = notice?.working?.state === 'rejected' ? notice.working.review : null;
  const texts = { title: draft.title, body: draft.body, ledText: draft.ledText, docNumber: draft.docNumber, issuer: draft.issuer };
  const hits = privacyHits(texts);
  const ledText = effectiveLedText(draft.ledText, draft.title);
  const report = ledReport(ledText, preset);
  const window = previewWindow(calendar, draft);
  const townIssuer = data.town?.town.issuer ?? '';
  const fieldFailure: Failure | null = editor.failure;

  const headingText = correct ? e.correctHeading : published && !notice?.working ? e.reviseHeading : notice ? e.editHeading : e.newHeading;

  const submitted = (next: Notice): void => go({ page: 'notice', id: next.id });

  return (
    <section class="editor" aria-labelledby="editor-heading">
      <a class="back" href={notice ? routeHash({ page: 'notice', id: notice.id }) : routeHash({ page: 'notices' })}>
        ← {e.cancel}
      </a>
      <h1 id="editor-heading" ref={heading}>
        {headingText}
      </h1>
      {published && <p class="note">{e.reviseIntro}</p>}
      {rejected && (
        <p class="note note-warn">
          {e.rejected} <strong>{rejected.reason}</strong>
        </p>
      )}
      {locked ? (
        <p class="note note-warn">{e.pendingLocked}</p>
      ) : (
        <form
          class="editor-grid"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
            void editor.save();
          }}
        >
          <div class="editor-main">
            {published && (
              <CorrectionField
                value={editor.correctionReason}
                onInput={editor.setCorrectionReason}
                required={correct}
                autoFocus={correct}
                failure={fieldFailure}
              />
            )}
            <ContentFields draft={draft} update={update} failure={fieldFailure} />
            <PrivacyPanel hits={hits} texts={texts} onMask={() => void editor.mask()} busy={editor.busy} />
            <LedFields
              draft={draft}
              update={update}
              failure={fieldFailure}
              preset={preset}
              onPreset={setPreset}
              report={report}
              text={ledText}
            />
            <TargetFields
              draft={draft}
              update={update}
              failure={fieldFailure}
              villages={villages}
              townAllowed={mayTarget(user, { scope: 'town' })}
            />
            <PostingFields draft={draft} update={update} failure={fieldFailure} calendar={calendar} />
            <SourceFields draft={draft} update={update} failure={fieldFailure} calendar={calendar} townIssuer={townIssuer} />
            <DisplayFields draft={draft} update={update} failure={fieldFailure} />
            {editor.blocked && (
              <SubmitBlocked
                hits={hits}
                texts={texts}
                busy={editor.busy}
                failure={editor.failure}
                onMask={() => void editor.mask()}
                onSubmitWithReason={(reason) => void editor.submit(reason).then((next) => next && submitted(next))}
              />
            )}
            <FailureMessage failure={editor.blocked ? null : editor.failure} />
            <Flash message={editor.flash} />
            <div class="actions sticky-actions">
              <button type="submit" disabled={editor.busy}>
                {editor.busy ? e.saving : e.save}
              </button>
              <button
                type="button"
                class="primary"
                disabled={editor.busy}
                onClick={() => void editor.submit().then((next) => next && submitted(next))}
              >
                {e.submit}
              </button>
            </div>
          </div>
          <aside class="editor-previews" aria-labelledby="previews-heading">
            <h2 id="previews-heading">{e.previews}</h2>
            <KioskPreview
              title={draft.title}
              body={draft.body}
              issuer={draft.issuer.trim() || townIssuer}
              window={window}
              emergency={draft.emergency ? draft.emergencyLevel : null}
              correction={published && editor.correctionReason.trim() ? editor.correctionReason.trim() : null}
            />
            <LedPreview preset={preset} report={report} />
          </aside>
        </form>
      )}
    </section>
  );
}
