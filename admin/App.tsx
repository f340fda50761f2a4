import type { Role, SessionEndReason, StaffUser } from '@protocol';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ForcedPasswordChange } from './components/ForcedPasswordChange';
import { LoginForm } from './components/LoginForm';
import { Shell } from './components/Shell';
import { DICTIONARIES, I18nContext, type Locale } from './i18n';
import type { AdminApi } from './lib/api';
import type { ConnectLive } from './lib/live';

const LOCALE_KEY = 'gongshi:admin:locale';
/**
 * Whether this browser was signed in when last seen. Without it the app shows
 * the sign-in form straight away instead of asking `/api/auth/me` for a 401,
 * which browsers log as a console error on every first visit.
 */
const SESSION_HINT_KEY = 'gongshi:admin:signed-in';

type Session =
  | { status: 'checking' }
  /** `ended`: the controller ended the session while the app was open (shown on the sign-in form). */
  | { status: 'signed-out'; ended?: SessionEndReason | 'unknown' }
  /** Signed in with an admin-set or generated password: the controller refuses everything until it is changed. */
  | { status: 'must-change-password'; user: StaffUser }
  | { status: 'signed-in'; user: StaffUser };

export interface AdminAppProps {
  /** Builds the API; the callback fires when the controller says the session has ended. */
  makeApi: (onUnauthorized: () => void) => AdminApi;
  connect: ConnectLive;
  /** Where the chosen language is remembered. */
  prefs?: Pick<Storage, 'getItem' | 'setItem'>;
}

function readPref(prefs: AdminAppProps['prefs'], key: string): string | null {
  try {
    return prefs?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writePref(prefs: AdminAppProps['prefs'], key: string, value: string): void {
  try {
    prefs?.setItem(key, value);
  } catch {
    // not remembered; it still works for this visit
  }
}

/** The staff app: language, session, then the signed-in shell. */
export function AdminApp({ makeApi, connect, prefs }: AdminAppProps) {
  const [locale, setLocale] = useState<Locale>(() => (readPref(prefs, LOCALE_KEY) === 'en' ? 'en' : 'zh'));
  const [session, setSession] = useState<Session>(() =>
    readPref(prefs, SESSION_HINT_KEY) === 'yes' ? { status: 'checking' } : { status: 'signed-out' },
  );
  /** Signing out from this tab: the controller's `session:ended` for it is this tab's own doing, not news. */
  const leaving = useRef(false);
  const signedOut = (ended?: SessionEndReason | 'unknown'): void => {
    writePref(prefs, SESSION_HINT_KEY, 'no');
    setSession(ended === undefined ? { status: 'signed-out' } : { status: 'signed-out', ended });
  };
  const signedIn = (user: StaffUser): void => {
    leaving.current = false;
    writePref(prefs, SESSION_HINT_KEY, 'yes');
    setSession({ status: user.mustChangePassword ? 'must-change-password' : 'signed-in', user });
  };
  const [api] = useState(() => makeApi(() => signedOut(leaving.current ? undefined : 'unknown')));
  /** An admin changed the user's roles or villages: the header, menu and pages take them at once. */
  const accessChanged = (access: { roles: Role[]; villageIds: string[] }): void =>
    setSession((s) =>
      s.status === 'signed-in' ? { ...s, user: { ...s.user, roles: [...access.roles], villageIds: [...access.villageIds] } } : s,
    );
  /** The controller ended the session (disabled, password reset…): back to the sign-in form, saying why. */
  const sessionEnded = (reason: SessionEndReason | null): void => {
    if (leaving.current) return;
    if (reason !== null) return signedOut(reason);
    // Closed without a reason: signed out only if the controller no longer knows the session.
    void api.me().then((ack) => {
      if (!ack.ok && ack.error === 'unauthorized' && !leaving.current) signedOut('unknown');
    });
  };
  const t = DICTIONARIES[locale];

  const i18n = useMemo(
    () => ({
      locale,
      t,
      setLocale(next: Locale) {
        setLocale(next);
        writePref(prefs, LOCALE_KEY, next);
      },
    }),
    [locale, t, prefs],
  );

  useEffect(() => {
    document.documentElement.lang = t.locale;
    document.title = t.appName;
  }, [t]);

  useEffect(() => {
    if (session.status === 'checking') void api.me().then((ack) => (ack.ok ? signedIn(ack.data) : signedOut()));
    // Only on start: later sign-ins and sign-outs set the session themselves.
  }, [api]);

  const logout = async (): Promise<void> => {
    leaving.current = true;
    await api.logout();
    signedOut();
  };

  return (
    <I18nContext.Provider value={i18n}>
      {session.status === 'checking' && <p class="loading">{t.common.loading}</p>}
      {session.status === 'signed-out' && <LoginForm login={(body) => api.login(body)} onSignedIn={signedIn} ended={session.ended} />}
      {session.status === 'must-change-password' && (
        <ForcedPasswordChange
          user={session.user}
          change={(body) => api.changePassword(body)}
          onChanged={signedIn}
          onLogout={() => void logout()}
        />
      )}
      {session.status === 'signed-in' && (
        <Shell
          api={api}
          connect={connect}
          user={session.user}
          onUserChanged={signedIn}
          onLogout={() => void logout()}
          session={{ accessChanged, sessionEnded }}
        />
      )}
    </I18nContext.Provider>
  );
}
