/**
 * Registers the kiosk's service worker (kiosk/sw.ts, built to /kiosk/sw.js).
 * Browsers offer service workers only in secure contexts: https, or
 * http://localhost; a kiosk opening the controller over plain http on the LAN
 * runs without one (Chromium can be told to trust that origin with
 * `--unsafely-treat-insecure-origin-as-secure=http://<controller>:8080`).
 */

export const SERVICE_WORKER_URL = '/kiosk/sw.js';
export const SERVICE_WORKER_SCOPE = '/kiosk/';

/** Registers the worker where the browser allows one; never throws (the kiosk works without it, only not after an offline reload). */
export function registerServiceWorker(nav: Navigator = navigator): void {
  if (!('serviceWorker' in nav)) {
    console.warn('gongshi: no service worker here (not a secure context?); a reload while the controller is down will fail');
    return;
  }
  nav.serviceWorker
    .register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE, updateViaCache: 'none' })
    .catch((error: unknown) => console.warn('gongshi: could not register the service worker', error));
}

/** Asks the browser not to evict the kiosk's data (receipts, notices) under storage pressure. */
export function persistStorage(nav: Navigator = navigator): void {
  void nav.storage?.persist?.().catch(() => false);
}
