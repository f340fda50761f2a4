import {
  type Ack,
  type ApproveNoticeRequest,
  type Failure,
  type LateStart,
  type Notice,
  approveNoticeRequest,
  fail,
  invalidPayload,
} from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';

/** The four items of the 保密审查 attestation, in the order the reviewer confirms them. */
export const ATTESTATION_ITEMS = ['noStateSecret', 'noCommercialSecret', 'noUnmaskedPersonalData', 'checkedAgainstSource'] as const;
type Item = (typeof ATTESTATION_ITEMS)[number];

export interface ApproveDialogProps {
  /** Personal data the scanner still finds in the pending version: a written override is then required. */
  hitCount: number;
  /** The 公示期 starts before today: the reviewer moves it to today (顺延, the default) or keeps it, with a reason when it is wholly over. */
  late?: LateStart | null;
  /**
   * An emergency warning the reviewer wrote: the four-eyes rule would refuse them, so the dialog offers
   * the one-reviewer fast path, which must be ticked and is recorded with the approval.
   */
  fastPath?: boolean;
  send: (body: ApproveNoticeRequest) => Promise<Ack<Notice>>;
  onDone: (notice: Notice) => void;
  onClose: () => void;
}

/** The local refusal, with the fast-path box named when it must be ticked and is not. */
function withFastPath(failure: Failure | null, missing: string | null): Failure | null {
  if (missing === null) return failure;
  return fail('invalid_payload', failure?.message ?? `fastPath: ${missing}`, { ...(failure?.fields ?? {}), fastPath: missing });
}

/** 审核通过: every attestation box ticked, an optional opinion, and an override reason only when hits remain. */
export function ApproveDialog({ hitCount, late = null, fastPath = false, send, onDone, onClose }: ApproveDialogProps) {
  const { t } = useI18n();
  const a = t.approve;
  const [checks, setChecks] = useState<Record<Item, boolean>>({
    noStateSecret: false,
    noCommercialSecret: false,
    noUnmaskedPersonalData: false,
    checkedAgainstSource: false,
  });
  const [opinion, setOpinion] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [fast, setFast] = useState(false);
  const [shift, setShift] = useState(true);
  const [lateReason, setLateReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const parsed = approveNoticeRequest.safeParse({
      attestation: { ...checks, opinion },
      ...(hitCount > 0 ? { privacyOverride: { reason: overrideReason } } : {}),
      ...(fastPath && fast ? { fastPath: true } : {}),
      ...(late && shift ? { lateStart: { shift: true } } : {}),
      ...(late && !shift && (late.wholePast || lateReason.trim() !== '') ? { lateStart: { reason: lateReason } } : {}),
    });
    // Without the box ticked the controller refuses the reviewer's own warning (four-eyes): say so at the box instead.
    const unticked = fastPath && !fast ? a.fastPathRequired : null;
    if (!parsed.success) return setFailure(withFastPath(invalidPayload(parsed.error), unticked));
    if (unticked !== null) return setFailure(withFastPath(null, unticked));
    setBusy(true);
    const ack = await send(parsed.data);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  const opinionError = fieldErrorFor(failure, 'attestation.opinion');
  const fastPathError = fieldErrorFor(failure, 'fastPath');
  const overrideError = fieldErrorFor(failure, 'privacyOverride');
  const lateError = fieldErrorFor(failure, 'lateStart.reason') ?? fieldErrorFor(failure, 'lateStart');
  return (
    <Dialog id="approve-dialog" heading={a.heading} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <fieldset class="group attestation">
          <legend>{a.intro}</legend>
          {ATTESTATION_ITEMS.map((item) => {
            const error = fieldErrorFor(failure, `attestation.${item}`);
            const id = `attest-${item}`;
            return (
              <div class="check" key={item}>
                <label class="choice">
                  <input
                    id={id}
                    type="checkbox"
                    checked={checks[item]}
                    onChange={(e) => setChecks((c) => ({ ...c, [item]: e.currentTarget.checked }))}
                    {...describe(id, error)}
                  />
                  {a.checks[item]}
                </label>
                <FieldError id={`${id}-error`} message={error} />
              </div>
            );
          })}
        </fieldset>
        {hitCount > 0 && (
          <Field
            id="approve-override"
            label={a.overrideReason}
            error={overrideError}
            class="override"
            describedBy={['approve-override-hint']}
            before={
              <p class="note note-warn" id="approve-override-hint">
                {a.hitsRemain(hitCount)}
              </p>
            }
          >
            {(control) => (
              <textarea {...control} rows={3} value={overrideReason} onInput={(e) => setOverrideReason(e.currentTarget.value)} />
            )}
          </Field>
        )}
        {late && (
          <fieldset class="group late-start-choice">
            <legend>{t.lateStart.choice}</legend>
            <p class="note note-warn" id="approve-late-hint">
              {late.wholePast
                ? t.lateStart.reviewWholePast(late.planned.start, late.planned.end ?? '')
                : t.lateStart.reviewShortened(late.lostDays, late.plannedDays)}
            </p>
            <label class="choice">
              <input id="approve-late-shift" type="radio" name="late-start" checked={shift} onChange={() => setShift(true)} />
              {t.lateStart.shift(late.shifted.start, late.shifted.window.end)}
            </label>
            <label class="choice">
              <input id="approve-late-keep" type="radio" name="late-start" checked={!shift} onChange={() => setShift(false)} />
              {t.lateStart.keep}
            </label>
            {!shift && (
              <Field id="approve-late-reason" label={t.lateStart.reason} error={lateError} describedBy={['approve-late-hint']}>
                {(control) => (
                  <textarea
                    {...control}
                    rows={2}
                    value={lateReason}
                    placeholder={t.lateStart.reasonHint}
                    onInput={(e) => setLateReason(e.currentTarget.value)}
                  />
                )}
              </Field>
            )}
          </fieldset>
        )}
        {fastPath && (
          <Field
            id="approve-fast-path"
            label={<strong>{a.fastPath}</strong>}
            choice
            hint={a.fastPathHint}
            error={fastPathError}
            class="fast-path"
          >
            {(control) => <input {...control} type="checkbox" checked={fast} onChange={(e) => setFast(e.currentTarget.checked)} />}
          </Field>
        )}
        <Field id="approve-opinion" label={a.opinion} error={opinionError}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={opinion}
              placeholder={a.opinionHint}
              onInput={(e) => setOpinion(e.currentTarget.value)}
            />
          )}
        </Field>
        <DialogActions failure={failure} busy={busy} submitLabel={a.submit} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
