import type { Ack, ChangePasswordRequest, StaffUser } from '@protocol';
import { useI18n } from '../i18n';
import { PasswordForm } from './PasswordForm';

export interface ForcedPasswordChangeProps {
  user: StaffUser;
  change: (body: ChangePasswordRequest) => Promise<Ack<StaffUser>>;
  onChanged: (user: StaffUser) => void;
  onLogout: () => void;
}

/** Right after signing in with an admin-set or generated password: nothing else works until it is replaced. */
export function ForcedPasswordChange({ user, change, onChanged, onLogout }: ForcedPasswordChangeProps) {
  const { t } = useI18n();
  return (
    <main class="login">
      <div class="card login-card">
        <p class="login-app">{t.appName}</p>
        <h1>{t.password.forcedHeading}</h1>
        <p class="hint intro">
          {user.displayName} ({user.username}) — {t.password.forcedIntro}
        </p>
        <PasswordForm user={user} change={change} onChanged={onChanged} />
        <button type="button" class="link-button" onClick={onLogout}>
          {t.header.logout}
        </button>
      </div>
    </main>
  );
}
