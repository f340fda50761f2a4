import type { ChangePasswordRequest, StaffUser, Ack, Village } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import type { LiveStatus } from '../lib/live';
import { villageScope } from '../lib/permissions';
import { Dialog } from './Dialog';
import { markChinese } from './Feedback';
import { PasswordForm } from './PasswordForm';

export interface HeaderProps {
  townName: string | null;
  user: StaffUser;
  /** The town's villages, to name the user's. */
  villages: readonly Village[];
  live: LiveStatus;
  changePassword: (body: ChangePasswordRequest) => Promise<Ack<StaffUser>>;
  onUserChanged: (user: StaffUser) => void;
  onLogout: () => void;
}

export function Header({ townName, user, villages, live, changePassword, onUserChanged, onLogout }: HeaderProps) {
  const { t, locale, setLocale } = useI18n();
  const [changing, setChanging] = useState(false);
  const [done, setDone] = useState(false);
  const access = t.header.access(
    user.roles.map((r) => t.roles[r]),
    villageScope(user)?.map((id) => villages.find((v) => v.id === id)?.name ?? id) ?? null,
  );
  return (
    <header class="app-header">
      <div class="brand">
        <span class="brand-town">{townName ?? ''}</span>
        <span class="brand-app">{t.appName}</span>
      </div>
      <div class="header-tools">
        <span class={`live live-${live}`} role="status">
          <span class="live-dot" aria-hidden="true" />
          {t.header.live[live]}
        </span>
        <span class="user">
          {t.header.signedInAs}: <strong>{user.displayName}</strong> ({user.username})
        </span>
        {/* What the user may do now: follows an admin's change at once (access:changed), and is announced. */}
        <span class="user-access" aria-live="polite">
          {locale === 'en' ? markChinese(access) : access}
        </span>
        <span class="sr-only" role="status">
          {done ? t.password.done : ''}
        </span>
        <button type="button" class="link-button" onClick={() => setChanging(true)}>
          {t.header.changePassword}
        </button>
        <button
          type="button"
          class="link-button"
          lang={locale === 'zh' ? 'en' : 'zh-CN'}
          title={t.switchLanguageLabel}
          onClick={() => setLocale(locale === 'zh' ? 'en' : 'zh')}
        >
          {t.switchLanguage}
        </button>
        <button type="button" onClick={onLogout}>
          {t.header.logout}
        </button>
      </div>
      {changing && (
        <Dialog id="password-dialog" heading={t.password.heading} onClose={() => setChanging(false)}>
          <PasswordForm
            user={user}
            change={changePassword}
            onChanged={(next) => {
              setChanging(false);
              setDone(true);
              onUserChanged(next);
            }}
            onCancel={() => setChanging(false)}
          />
        </Dialog>
      )}
    </header>
  );
}
