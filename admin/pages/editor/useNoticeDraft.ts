/**
 * The editor's conversation with the controller: save (create, edit in place,
 * or start a revision), mask on the server, submit — each saving first when
 * the form holds something the controller has not stored yet.
 */
import { type Failure, type Notice, fail } from '@protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { AdminApi } from '../../lib/api';
import { type NoticeDraft, checkDraft, draftFromContent, toContentRequest } from '../../lib/noticeDraft';
import { routeHash } from '../../lib/route';
import type { AdminData } from '../../lib/useAdminData';

export interface NoticeDraftOptions {
  api: AdminApi;
  data: Pick<AdminData, 'noticeChanged'>;
  initial: NoticeDraft;
  notice: Notice | null;
  /** 更正: a correction reason is required. */
  correct: boolean;
}

/** Field paths of `PUT …/draft` refusals are under `content.`; the form's fields are not. */
export function unwrapContentFields(failure: Failure): Failure {
  if (!failure.fields) return failure;
  const fields = Object.fromEntries(Object.entries(failure.fields).map(([path, message]) => [path.replace(/^content\./, ''), message]));
  return { ...failure, fields };
}

const snapshot = (draft: NoticeDraft): string => JSON.stringify(toContentRequest(draft));

export function useNoticeDraft({ api, data, initial, notice: loaded, correct }: NoticeDraftOptions) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(initial);
  const [notice, setNotice] = useState(loaded);
  const [correctionReason, setCorrectionReason] = useState(loaded?.working?.correction?.reason ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [blocked, setBlocked] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const saved = useRef(loaded ? snapshot(initial) : null);
  const savedReason = useRef(correctionReason);
  const current = useRef(draft);
  current.current = draft;

  // Take the reader to the first field the controller or the form check refused.
  useEffect(() => {
    if (failure?.fields) document.querySelector<HTMLElement>('.editor [aria-invalid="true"]')?.focus();
  }, [failure]);

  const update = (patch: Partial<NoticeDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setFlash(null);
  };

  const accept = (next: Notice): void => {
    if (!notice) history.replaceState(history.state, '', routeHash({ page: 'editor', id: next.id, correct: false }));
    setNotice(next);
    data.noticeChanged(next);
  };

  /** Whether the controller's working draft differs from the form (or there is none to submit). */
  const needsSave = (): boolean =>
    notice?.working?.state !== 'draft' || saved.current !== snapshot(draft) || savedReason.current !== correctionReason;

  const save = async (): Promise<Notice | null> => {
    const local = checkDraft(draft, Date.now());
    const published = notice?.live !== null && notice?.live !== undefined;
    const reason = published ? correctionReason.trim() : '';
    const fields = { ...(local?.fields ?? {}), ...(correct && reason.length < 2 ? { correctionReason: 'say what was wrong' } : {}) };
    if (Object.keys(fields).length > 0) {
      setFailure(fail('invalid_payload', Object.keys(fields).join(', '), fields));
      return null;
    }
    const startedWith = draft;
    const body = toContentRequest(draft);
    setBusy(true);
    setFlash(null);
    const ack = notice
      ? await api.editNotice(notice.id, { content: body, ...(reason ? { correctionReason: reason } : {}) })
      : await api.createNotice(body);
    setBusy(false);
    if (!ack.ok) {
      setFailure(unwrapContentFields(ack));
      return null;
    }
    accept(ack.data);
    const stored = ack.data.working?.content;
    // Show what the controller stored (defaults filled, text trimmed), unless the reader typed on meanwhile.
    const shown = stored && current.current === startedWith ? draftFromContent(stored) : current.current;
    if (shown !== current.current) setDraft(shown);
    saved.current = stored ? snapshot(draftFromContent(stored)) : snapshot(startedWith);
    savedReason.current = correctionReason;
    setFailure(null);
    setFlash(t.editor.saved);
    return ack.data;
  };

  const mask = async (): Promise<void> => {
    const target = needsSave() ? await save() : notice;
    if (!target) return;
    setBusy(true);
    const ack = await api.maskNotice(target.id);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    accept(ack.data);
    const stored = ack.data.working?.content;
    if (stored) {
      const masked = draftFromContent(stored);
      setDraft(masked);
      saved.current = snapshot(masked);
    }
    setBlocked(false);
    setFailure(null);
    setFlash(t.editor.masked);
  };

  const submit = async (privacyOverrideRequest?: string): Promise<Notice | null> => {
    const target = needsSave() ? await save() : notice;
    if (!target) return null;
    setBusy(true);
    const ack = await api.submitNotice(target.id, privacyOverrideRequest);
    setBusy(false);
    if (!ack.ok) {
      setBlocked(ack.error === 'privacy_blocked' || (blocked && ack.error === 'invalid_payload'));
      setFailure(ack);
      return null;
    }
    accept(ack.data);
    setBlocked(false);
    setFailure(null);
    setFlash(t.editor.submitted);
    return ack.data;
  };

  return { draft, update, notice, correctionReason, setCorrectionReason, busy, failure, blocked, flash, save, mask, submit };
}
