import type { Ack, Failure, LoginRequest, StaffUser } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { FailureMessage, FieldError, fieldErrorFor } from './Feedback';

export interface LoginFormProps {
  login: (body: LoginRequest) => Promise<Ack<StaffUser>>;
  onSignedIn: (user: StaffUser) => void;
}

export function LoginForm({ login, onSignedIn }: LoginFormProps) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const ack = await login({ username, password });
    setBusy(false);
    if (ack.ok) return onSignedIn(ack.data);
    setFailure(ack);
  };

  const usernameError = fieldErrorFor(failure, 'username');
  const passwordError = fieldErrorFor(failure, 'password');
  return (
    <main class="login">
      <form class="card login-card" onSubmit={(e) => void onSubmit(e)} noValidate>
        <p class="login-app">{t.appName}</p>
        <h1>{t.login.title}</h1>
        <div class="field">
          <label for="login-username">{t.login.username}</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={usernameError !== null}
            aria-describedby={usernameError ? 'login-username-error' : undefined}
          />
          <FieldError id="login-username-error" message={usernameError} />
        </div>
        <div class="field">
          <label for="login-password">{t.login.password}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={passwordError !== null}
            aria-describedby={passwordError ? 'login-password-error' : undefined}
          />
          <FieldError id="login-password-error" message={passwordError} />
        </div>
        {failure?.error === 'unauthorized' ? (
          <p class="form-error" role="alert">
            <strong>{t.login.wrong}</strong>
          </p>
        ) : (
          <FailureMessage failure={failure} />
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t.login.submit}
        </button>
      </form>
    </main>
  );
}
