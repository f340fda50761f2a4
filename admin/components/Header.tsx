import type { StaffUser } from '@protocol';
import { useI18n } from '../i18n';
import type { LiveStatus } from '../lib/live';

export interface HeaderProps {
  townName: string | null;
  user: StaffUser;
  live: LiveStatus;
  onLogout: () => void;
}

export function Header({ townName, user, live, onLogout }: HeaderProps) {
  const { t, locale, setLocale } = useI18n();
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
    </header>
  );
}
