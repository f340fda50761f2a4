import type { Ack, Failure, LoginRequest, SessionEndReason, StaffUser } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { isRateLimited } from '../lib/api';
import { FailureMessage, fieldErrorFor } from './Feedback';
import { Field } from './Field';

export interface LoginFormProps {
  login: (body: LoginRequest) => Promise<Ack<StaffUser>>;
  onSignedIn: (user: StaffUser) => void;
  /** The controller ended the last session while the app was open, and why: said above the form. */
  ended?: SessionEndReason | 'unknown' | undefined;
}

/** Counts `seconds` down to 0, once a second. */
function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return undefined;
    const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

export function LoginForm({ login, onSignedIn, ended }: LoginFormProps) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [wait, setWait] = useCountdown();

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (wait > 0) return;
    setBusy(true);
    const ack = await login({ username, password });
    setBusy(false);
    if (ack.ok) return onSignedIn(ack.data);
    setFailure(ack);
    if (isRateLimited(ack)) setWait(ack.retryAfterSec);
  };

  const usernameError = fieldErrorFor(failure, 'username');
  const passwordError = fieldErrorFor(failure, 'password');
  return (
    <main class="login">
      <form class="card login-card" onSubmit={(e) => void onSubmit(e)} noValidate>
        <p class="login-app">{t.appName}</p>
        <h1>{t.login.title}</h1>
        {ended !== undefined && !failure && (
          <p class="form-error session-ended" role="alert">
            {t.login.ended[ended]}
          </p>
        )}
        <Field id="login-username" label={t.login.username} error={usernameError}>
          {(control) => (
            <input
              {...control}
              name="username"
              autoComplete="username"
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="login-password" label={t.login.password} error={passwordError}>
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        {failure?.error === 'unauthorized' && (
          <p class="form-error" role="alert">
            <strong>{t.login.wrong}</strong>
          </p>
        )}
        {failure?.error === 'rate_limited' && (
          <p class="form-error" role="alert">
            <strong>{isRateLimited(failure) ? t.login.wait(failure.retryAfterSec) : t.errors.rate_limited}</strong>
          </p>
        )}
        {failure && failure.error !== 'unauthorized' && failure.error !== 'rate_limited' && <FailureMessage failure={failure} />}
        <button type="submit" class="primary" disabled={busy || wait > 0}>
          {busy ? t.login.busy : t.login.submit}
          {wait > 0 && <span class="countdown"> ({wait})</span>}
        </button>
      </form>
    </main>
  );
}
