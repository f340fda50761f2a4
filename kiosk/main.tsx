import { render } from 'preact';
import { KioskApp } from './KioskApp';
import { connectKiosk } from './link';
import { type KioskParams, parseKioskUrl } from './params';
import { shouldReload } from './reload';
import { openKioskStorage } from './storage';
import { persistStorage, registerServiceWorker } from './swRegister';
import { Unconfigured } from './Unconfigured';
import './kiosk.css';

/** Opens the device's stored data first, so the first render already shows the notices it had. */
async function start(root: HTMLElement, deviceId: string, params: KioskParams): Promise<void> {
  const storage = await openKioskStorage(deviceId);
  if (params.token) {
    // The pairing link carries the token once: keep it, and take it out of the address bar (and history).
    storage.saveToken(params.token);
    history.replaceState(history.state, '', params.cleanUrl);
  }
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
if (root && params.deviceId) {
  void start(root, params.deviceId, params);
} else if (root) {
  render(<Unconfigured />, root);
}
