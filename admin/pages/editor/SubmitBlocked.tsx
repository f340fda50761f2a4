import { type Failure, invalidPayload, submitNoticeRequest } from '@protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { PrivacyHits } from '../../components/PrivacyHits';
import { useI18n } from '../../i18n';
import type { FieldHit, ScannedTexts } from '../../lib/privacy';

export interface SubmitBlockedProps {
  hits: readonly FieldHit[];
  texts: ScannedTexts;
  onMask: () => void;
  /** Submits again with the reason for the reviewer. */
  onSubmitWithReason: (reason: string) => void;
  busy: boolean;
  /** The controller's refusal of the last attempt, for the reason field. */
  failure: Failure | null;
}

/** The controller refused to submit (422 privacy_blocked): mask, or give the reviewer a reason. */
export function SubmitBlocked({ hits, texts, onMask, onSubmitWithReason, busy, failure }: SubmitBlockedProps) {
  const { t } = useI18n();
  const p = t.privacy;
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Failure | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = (): void => {
    const parsed = submitNoticeRequest.safeParse({ privacyOverrideRequest: reason });
    if (!parsed.success) return setLocal(invalidPayload(parsed.error));
    setLocal(null);
    onSubmitWithReason(reason.trim());
  };

  const error = fieldErrorFor(local ?? failure, 'privacyOverrideRequest');
  return (
    <section class="blocked" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading" tabIndex={-1} ref={heading}>
        {p.blockedHeading}
      </h2>
      <p>{p.blockedIntro}</p>
      {hits.length > 0 && <PrivacyHits hits={hits} texts={texts} />}
      <div class="actions">
        <button type="button" class="primary" onClick={onMask} disabled={busy}>
          {p.mask}
        </button>
      </div>
      <Field id="override-request" label={p.reason} error={error}>
        {(control) => <textarea {...control} rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <div class="actions">
        <button type="button" onClick={submit} disabled={busy}>
          {p.submitWithReason}
        </button>
      </div>
    </section>
  );
}
