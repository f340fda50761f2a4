import type { Ack, Failure, Notice, PendingConfirmation } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import { FailureMessage, fieldErrorFor } from './Feedback';
import { Field } from './Field';

/** How often the list is asked for again besides every notice change (a warning expires on its own). */
const POLL_MS = 60_000;

export interface FastPathBannerProps {
  /** `GET /api/fast-path/pending`. */
  load: () => Promise<Ack<PendingConfirmation[]>>;
  confirm: (noticeId: string, versionId: string, opinion: string) => Promise<Ack<Notice>>;
  /** Calls back on every notice change, so the list follows confirmations and withdrawals made elsewhere. */
  subscribe: (listener: (notice: Notice) => void) => () => void;
  nameOf: (userId: string) => string;
  /** The signed-in reviewer: they cannot confirm what they approved alone. */
  userId: string;
  onConfirmed?: (notice: Notice) => void;
}

/**
 * On every page, for every reviewer: the warnings one reviewer published alone (the emergency fast path) that no
 * second reviewer has confirmed, until one does or the warning is withdrawn (issue 12 point 4).
 */
export function FastPathBanner({ load, confirm, subscribe, nameOf, userId, onConfirmed }: FastPathBannerProps) {
  const { t } = useI18n();
  const f = t.fastPath;
  const [pending, setPending] = useState<PendingConfirmation[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [opinion, setOpinion] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);

  useEffect(() => {
    let live = true;
    const poll = (): void => void load().then((ack) => live && ack.ok && setPending(ack.data));
    poll();
    const timer = setInterval(poll, POLL_MS);
    const off = subscribe(poll);
    return () => {
      live = false;
      clearInterval(timer);
      off();
    };
  }, [load, subscribe]);

  if (pending.length === 0) return null;
  return (
    <section class="form-error fast-path-pending" role="alert" aria-labelledby="fast-path-title">
      <h2 id="fast-path-title">{f.title(pending.length)}</h2>
      <p>{f.explain}</p>
      <ul>
        {pending.map((p) => {
          const opinionError = open === p.versionId ? fieldErrorFor(failure, 'opinion') : null;
          const fieldId = `fast-path-opinion-${p.versionId}`;
          return (
            <li key={p.versionId} data-notice-id={p.noticeId} data-version-id={p.versionId}>
              <a href={`#/notices/${encodeURIComponent(p.noticeId)}`}>
                <strong>{p.title}</strong>
              </a>{' '}
              {f.facts(nameOf(p.approvedBy), formatDateTime(p.approvedAt), formatDateTime(p.expiresAt))}
              {p.state !== 'approved' && <> · {f.states[p.state] ?? p.state}</>}{' '}
              {p.approvedBy === userId ? (
                <span class="hint">{f.notYours}</span>
              ) : open === p.versionId ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void confirm(p.noticeId, p.versionId, opinion).then((ack) => {
                      if (!ack.ok) return setFailure(ack);
                      setFailure(null);
                      setOpen(null);
                      setOpinion('');
                      setPending((list) => list.filter((x) => x.versionId !== p.versionId));
                      onConfirmed?.(ack.data);
                    });
                  }}
                >
                  <Field id={fieldId} label={f.opinion} error={opinionError}>
                    {(control) => <textarea {...control} rows={2} value={opinion} onInput={(e) => setOpinion(e.currentTarget.value)} />}
                  </Field>
                  {!opinionError && <FailureMessage failure={failure} />}
                  <button type="submit">{f.submit}</button>{' '}
                  <button type="button" onClick={() => (setOpen(null), setFailure(null))}>
                    {f.cancel}
                  </button>
                </form>
              ) : (
                <button type="button" onClick={() => (setOpen(p.versionId), setOpinion(''), setFailure(null))}>
                  {f.confirm}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
