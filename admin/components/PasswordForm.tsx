import { type Ack, type ChangePasswordRequest, type Failure, type StaffUser, fail, passwordProblem } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { FailureMessage, fieldErrorFor } from './Feedback';
import { Field } from './Field';
import { PasswordHint } from './PasswordHint';

export interface PasswordFormProps {
  user: StaffUser;
  change: (body: ChangePasswordRequest) => Promise<Ack<StaffUser>>;
  onChanged: (user: StaffUser) => void;
  onCancel?: () => void;
}

/** Current password, new password twice; the new one is checked while typing with the controller's rule. */
export function PasswordForm({ user, change, onChanged, onCancel }: PasswordFormProps) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (current === '') fields.currentPassword = 'enter your current password';
    const problem = passwordProblem(next, user.username);
    if (problem) fields.newPassword = problem;
    else if (confirm !== next) fields.confirmPassword = 'the passwords differ';
    if (Object.keys(fields).length > 0) return setFailure(fail('invalid_payload', Object.keys(fields).join(', '), fields));
    setBusy(true);
    const ack = await change({ currentPassword: current, newPassword: next });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    onChanged(ack.data);
  };

  const currentError = fieldErrorFor(failure, 'currentPassword');
  const nextError = fieldErrorFor(failure, 'newPassword');
  const confirmError = fieldErrorFor(failure, 'confirmPassword');
  return (
    <form class="password-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={user.username} hidden readOnly />
      <Field id="pw-current" label={t.password.current} error={currentError}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id="pw-new" label={t.password.next} error={nextError} describedBy={['pw-new-hint']}>
        {(control) => (
          <>
            <input {...control} type="password" autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
            <PasswordHint id="pw-new-hint" password={next} username={user.username} />
          </>
        )}
      </Field>
      <Field id="pw-confirm" label={t.password.confirm} error={confirmError}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={confirm}
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
        )}
      </Field>
      <FailureMessage failure={failure} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t.password.submit}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
