import { render } from 'preact';
import { KioskApp } from './KioskApp';
import { connectKiosk } from './link';
import { type KioskParams, parseKioskUrl } from './params';
import { shouldReload } from './reload';
import { openKioskStorage } from './storage';
import { persistStorage, registerServiceWorker } from './swRegister';
import { pairedIdentity } from './pairing';
import { PairingScreen } from './PairingScreen';
import './kiosk.css';

/** Opens the device's stored data first, so the first render already shows the notices it had. */
async function start(root: HTMLElement, deviceId: string, params: KioskParams, token: string | null = params.token): Promise<void> {
  const storage = await openKioskStorage(deviceId);
  if (token) {
    // The pairing link carries the token once: keep it, and take it out of the address bar (and history).
    storage.saveToken(token);
    if (params.token) history.replaceState(history.state, '', params.cleanUrl);
  }
  // Demo kiosks (no token, opened from the controller's machine) have nothing to revoke.
  const paired = storage.loadToken() !== null;
  const onRevoked = (reason: string): void => {
    pairedIdentity.forget(localStorage);
    if (params.deviceId) location.replace(`${location.pathname}?revoked=${encodeURIComponent(reason)}`);
    else pair(root, params, reason);
  };
  const onOtherBuild = (serverBuild: string): void => {
    if (shouldReload(serverBuild, __GONGSHI_BUILD__, sessionStorage, Date.now())) location.reload();
  };
  render(
    <KioskApp
      deviceId={deviceId}
      storage={storage}
      connect={connectKiosk}
      build={__GONGSHI_BUILD__}
      onOtherBuild={onOtherBuild}
      receiptAfterSec={params.receiptAfterSec}
      {...(paired ? { onRevoked } : {})}
    />,
    root,
  );
}

const params = parseKioskUrl(location.href);
const root = document.getElementById('app');

// Not under vite's dev server (import.meta.hot), which serves no worker; every build does, whatever NODE_ENV says.
if (!import.meta.hot) {
  registerServiceWorker();
  persistStorage();
}
/** No device yet: show a pairing code until staff enter it in the admin. */
function pair(root: HTMLElement, params: KioskParams, reason?: string): void {
  const onPaired = ({ deviceId, token }: { deviceId: string; token: string }): void => {
    pairedIdentity.save(localStorage, deviceId);
    void start(root, deviceId, params, token);
  };
  render(<PairingScreen fetch={(input, init) => fetch(input, init)} onPaired={onPaired} reason={reason} />, root);
}

const deviceId = params.deviceId ?? pairedIdentity.load(localStorage);
if (root && deviceId) void start(root, deviceId, params);
else if (root) pair(root, params, new URL(location.href).searchParams.get('revoked') ?? undefined);
