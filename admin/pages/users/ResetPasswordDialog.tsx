import { type Ack, type Failure, type StaffUser, fail, passwordProblem } from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { PasswordHint } from '../../components/PasswordHint';
import { useI18n } from '../../i18n';

export interface ResetPasswordDialogProps {
  target: StaffUser;
  reset: (newPassword: string) => Promise<Ack<StaffUser>>;
  onDone: (user: StaffUser) => void;
  onClose: () => void;
}

/** An admin sets a new password; the user must change it at the next sign-in. */
export function ResetPasswordDialog({ target, reset, onDone, onClose }: ResetPasswordDialogProps) {
  const { t } = useI18n();
  const u = t.users;
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const problem = passwordProblem(password, target.username);
    if (problem) return setFailure(fail('invalid_payload', problem, { newPassword: problem }));
    setBusy(true);
    const ack = await reset(password);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  const error = fieldErrorFor(failure, 'newPassword');
  return (
    <Dialog id="reset-password-dialog" heading={u.resetHeading(target.username)} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <p class="hint">{u.resetHint}</p>
        <Field id="reset-password" label={u.newPassword} error={error} describedBy={['reset-password-hint']}>
          {(control) => (
            <>
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
              <PasswordHint id="reset-password-hint" password={password} username={target.username} />
            </>
          )}
        </Field>
        <DialogActions failure={failure} busy={busy} submitLabel={u.reset} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
