import { render } from 'preact';
import { KioskApp } from './KioskApp';
import { connectKiosk } from './link';
import { parseKioskUrl } from './params';
import { shouldReload } from './reload';
import { createKioskStorage } from './storage';
import { Unconfigured } from './Unconfigured';
import './kiosk.css';

const params = parseKioskUrl(location.href);
const root = document.getElementById('app');

if (root && params.deviceId) {
  const storage = createKioskStorage(params.deviceId);
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
      deviceId={params.deviceId}
      storage={storage}
      connect={connectKiosk}
      build={__GONGSHI_BUILD__}
      onOtherBuild={onOtherBuild}
      receiptAfterSec={params.receiptAfterSec}
    />,
    root,
  );
} else if (root) {
  render(<Unconfigured />, root);
}
