import type { Ack, Failure, Notice } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from './Dialog';
import { fieldErrorFor } from './Feedback';
import { Field } from './Field';

export interface ReasonDialogProps {
  id: string;
  heading: string;
  label: string;
  hint: string;
  submitLabel: string;
  /** The protocol schema's verdict on the reason, before sending. */
  validate: (reason: string) => Failure | null;
  send: (reason: string) => Promise<Ack<Notice>>;
  onDone: (notice: Notice) => void;
  onClose: () => void;
}

/** 驳回 / 撤回: one written reason, required, sent with the step. */
export function ReasonDialog({ id, heading, label, hint, submitLabel, validate, send, onDone, onClose }: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const local = validate(reason);
    if (local) return setFailure(local);
    setBusy(true);
    const ack = await send(reason.trim());
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  const error = fieldErrorFor(failure, 'reason');
  const field = `${id}-reason`;
  return (
    <Dialog id={id} heading={heading} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field id={field} label={label} hint={hint} error={error}>
          {(control) => <textarea {...control} rows={4} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
        </Field>
        <DialogActions failure={failure} busy={busy} submitLabel={submitLabel} danger onCancel={onClose} />
      </form>
    </Dialog>
  );
}
