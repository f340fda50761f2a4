import type { StaffUser } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import type { AdminApi } from '../lib/api';
import type { ConnectLive } from '../lib/live';
import { useAdminData } from '../lib/useAdminData';
import { DevicesPage } from '../pages/DevicesPage';
import { NoticesPage } from '../pages/NoticesPage';
import { RecordsPage } from '../pages/RecordsPage';
import { Header } from './Header';

const TABS = ['notices', 'devices', 'records'] as const;
type Tab = (typeof TABS)[number];

const tabFromHash = (hash: string): Tab => TABS.find((tab) => `#${tab}` === hash) ?? 'notices';

export interface ShellProps {
  api: AdminApi;
  connect: ConnectLive;
  user: StaffUser;
  onLogout: () => void;
}

/** The signed-in app: header, tabs (remembered in the address's #hash) and the chosen page. */
export function Shell({ api, connect, user, onLogout }: ShellProps) {
  const { t } = useI18n();
  const data = useAdminData(api, connect);
  const [tab, setTab] = useState<Tab>(() => tabFromHash(location.hash));

  useEffect(() => {
    const onHash = (): void => setTab(tabFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const choose = (name: Tab, focus = false): void => {
    setTab(name);
    history.replaceState(history.state, '', `#${name}`);
    if (focus) document.getElementById(`tab-${name}`)?.focus();
  };

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the page.
  const onTabKey = (event: KeyboardEvent): void => {
    const index = TABS.indexOf(tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(TABS[(next + TABS.length) % TABS.length] ?? 'notices', true);
  };

  const villages = data.town?.villages ?? [];
  return (
    <div class="app">
      <Header townName={data.town?.town.name ?? null} user={user} live={data.live} onLogout={onLogout} />
      <div class="tabs" role="tablist" aria-label={t.appName} onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`tab-${name}`}
            class={tab === name ? 'tab active' : 'tab'}
            aria-selected={tab === name}
            aria-controls="tab-panel"
            tabIndex={tab === name ? 0 : -1}
            onClick={() => choose(name)}
          >
            {t.tabs[name]}
          </button>
        ))}
      </div>
      <main class="content">
        <div role="tabpanel" id="tab-panel" aria-labelledby={`tab-${tab}`}>
          {data.loadError && (
            <p class="form-error" role="alert">
              <strong>{t.errors[data.loadError]}</strong>
            </p>
          )}
          {tab === 'notices' && (
            <NoticesPage api={api} user={user} notices={data.notices} villages={villages} onChanged={data.noticeChanged} />
          )}
          {tab === 'devices' && (
            <DevicesPage api={api} user={user} devices={data.devices} villages={villages} onCreated={() => void data.reloadDevices()} />
          )}
          {tab === 'records' && (
            <RecordsPage
              records={data.records}
              devices={data.devices}
              villages={villages}
              notices={data.notices}
              onRefresh={() => void data.reload()}
            />
          )}
        </div>
      </main>
    </div>
  );
}
