import type { StaffUser } from '@protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import type { AdminApi } from '../lib/api';
import type { ConnectLive } from '../lib/live';
import { canReview, mayOpen } from '../lib/permissions';
import { type Route, parseRoute, routeHash, sectionOf } from '../lib/route';
import { type SessionHandlers, useAdminData } from '../lib/useAdminData';
import { useReviewQueue } from '../lib/useReviewQueue';
import { DevicesPage } from '../pages/devices/DevicesPage';
import { SignsPage } from '../pages/signs/SignsPage';
import { EditorPage } from '../pages/editor/EditorPage';
import { NoticeDetailPage } from '../pages/notices/NoticeDetailPage';
import { NoticesPage } from '../pages/notices/NoticesPage';
import { RecordsPage } from '../pages/records/RecordsPage';
import { ChannelsPage } from '../pages/channels/ChannelsPage';
import { LedgerPage } from '../pages/ledger/LedgerPage';
import { ReportsPage } from '../pages/reports/ReportsPage';
import { ReviewPage } from '../pages/review/ReviewPage';
import { UsersPage } from '../pages/users/UsersPage';
import { createReportsApi } from '../lib/reportsApi';
import { FailedSignInsBanner } from './FailedSignInsBanner';
import { FastPathBanner } from './FastPathBanner';
import { LedgerAlarm } from './LedgerAlarm';
import { Header } from './Header';
import { HealthAlarm } from './HealthAlarm';
import { Nav } from './Nav';

export interface ShellProps {
  api: AdminApi;
  connect: ConnectLive;
  user: StaffUser;
  onUserChanged: (user: StaffUser) => void;
  onLogout: () => void;
  /** What the live link tells of the user's own session: their new roles and villages, or its end. */
  session?: SessionHandlers;
}

/** The signed-in app: header, menu, and the page the address's #hash names. */
export function Shell({ api, connect, user, onUserChanged, onLogout, session }: ShellProps) {
  const { t } = useI18n();
  const data = useAdminData(api, connect, user, session);
  const queue = useReviewQueue(api, data, canReview(user));
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const main = useRef<HTMLElement>(null);
  const [reports] = useState(() => createReportsApi());
  const loadIntegrity = useCallback(async () => {
    const ack = await reports.integrity().catch(() => null);
    return ack?.ok ? ack.data : null;
  }, [reports]);
  const first = useRef(true);
  // The devices' witness alarms arrive with their status as they rise or clear: the alarm on every page follows them.
  const witnessAlarmsKey = data.devices
    .map((d) => (d.witnessAlarm ? `${d.id}:${d.witnessAlarm.kind}:${d.witnessAlarm.message}` : ''))
    .filter(Boolean)
    .join('\n');

  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // After moving to another page, start reading (and tabbing) there, as a page load would.
  const hash = routeHash(route);
  useEffect(() => {
    // A page that already moved focus into itself (e.g. to the field to fill first) keeps it.
    if (first.current) first.current = false;
    else if (!main.current?.contains(document.activeElement)) main.current?.focus();
  }, [hash]);

  const go = (next: Route): void => {
    const target = routeHash(next);
    if (location.hash === target) setRoute(next);
    else location.hash = target;
  };

  // A section the user may not open (an address typed in, or a role just taken away) leaves for the notices.
  const allowed = mayOpen(user, sectionOf(route));
  useEffect(() => {
    if (!allowed) go({ page: 'notices' });
  }, [allowed]);

  const town = data.town?.town ?? null;
  return (
    <div class="app">
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        {t.nav.skip}
      </a>
      <Header
        townName={town?.name ?? null}
        user={user}
        villages={data.town?.villages ?? []}
        live={data.live}
        changePassword={(body) => api.changePassword(body)}
        onUserChanged={onUserChanged}
        onLogout={onLogout}
      />
      <Nav user={user} current={sectionOf(route)} reviewCount={canReview(user) ? queue.notices.length : null} />
      <main class="content" id="main" ref={main} tabIndex={-1}>
        <HealthAlarm api={api} />
        <FailedSignInsBanner failed={user.failedSignIns} />
        {canReview(user) && (
          <FastPathBanner
            load={api.pendingConfirmations}
            confirm={api.confirmFastPath}
            subscribe={data.subscribe}
            nameOf={data.nameOf}
            userId={user.id}
            onConfirmed={data.noticeChanged}
          />
        )}
        <LedgerAlarm
          load={loadIntegrity}
          refresh={witnessAlarmsKey}
          accept={user.roles.includes('admin') ? (reason) => reports.acceptLedger(reason) : undefined}
        />
        {data.loadError && (
          <p class="form-error" role="alert">
            <strong>{t.errors[data.loadError]}</strong>
          </p>
        )}
        {route.page === 'notices' && <NoticesPage api={api} data={data} user={user} go={go} />}
        {route.page === 'notice' && <NoticeDetailPage key={route.id} id={route.id} api={api} data={data} user={user} go={go} />}
        {route.page === 'editor' && (
          <EditorPage key={hash} id={route.id} correct={route.correct} api={api} data={data} user={user} go={go} />
        )}
        {route.page === 'review' && allowed && <ReviewPage id={route.id} api={api} data={data} user={user} queue={queue} go={go} />}
        {route.page === 'users' && allowed && <UsersPage api={api} data={data} user={user} />}
        {route.page === 'devices' && <DevicesPage api={api} data={data} user={user} />}
        {route.page === 'signs' && <SignsPage data={data} user={user} />}
        {route.page === 'records' && <RecordsPage api={api} data={data} />}
        {route.page === 'channels' && <ChannelsPage data={data} user={user} />}
        {route.page === 'reports' && <ReportsPage tab={route.tab} data={data} user={user} go={go} />}
        {route.page === 'ledger' && <LedgerPage />}
      </main>
    </div>
  );
}
