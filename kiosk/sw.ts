/**
 * The kiosk's service worker, served at /kiosk/sw.js (scope /kiosk/). It keeps
 * this build's app shell (index.html, JS, CSS) so a kiosk reloaded while the
 * controller is down still starts; the notices themselves come from IndexedDB.
 * One cache per build: a new build's worker takes over at once and drops the
 * old caches. Nothing else is intercepted (the API and socket.io go straight
 * to the network).
 *
 * Built as its own entry by vite.config.ts, which puts the list of the kiosk's
 * files in place of `__GONGSHI_KIOSK_SHELL__`. It must import nothing the apps
 * also use, or it would load a shared chunk (a classic worker script cannot).
 */

/** The kiosk app's files in this build, the index first (`/kiosk/`). */
declare const __GONGSHI_KIOSK_SHELL__: readonly string[];

interface WorkerEvent extends Event {
  waitUntil: (promise: Promise<unknown>) => void;
}
interface WorkerFetchEvent extends WorkerEvent {
  readonly request: Request;
  respondWith: (response: Promise<Response>) => void;
}
interface WorkerScope {
  readonly location: Location;
  readonly clients: { claim: () => Promise<void> };
  skipWaiting: () => Promise<void>;
  addEventListener: ((type: 'install' | 'activate', listener: (event: WorkerEvent) => void) => void) &
    ((type: 'fetch', listener: (event: WorkerFetchEvent) => void) => void);
}

const worker = self as unknown as WorkerScope;
const CACHE_PREFIX = 'gongshi-kiosk-';
const CACHE = `${CACHE_PREFIX}${__GONGSHI_BUILD__}`;
const INDEX = '/kiosk/';
/** A LAN whose controller vanished can leave a request hanging; after this the stored shell answers. */
const NAVIGATION_TIMEOUT_MS = 4_000;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...__GONGSHI_KIOSK_SHELL__]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => worker.clients.claim()),
  );
});

/** The page from the network while it answers, so a new build shows at once; this build's stored page when it does not. */
async function page(request: Request): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), NAVIGATION_TIMEOUT_MS);
  let response: Response | null = null;
  try {
    response = await fetch(request, { signal: abort.signal });
    if (response.status < 500) return response;
  } catch {
    // controller down or unreachable: fall back to the stored shell
  } finally {
    clearTimeout(timer);
  }
  const stored = await caches.open(CACHE).then((cache) => cache.match(INDEX));
  return stored ?? response ?? Response.error();
}

/** Hashed files never change: the stored copy, or the network for a file this build did not store. */
async function asset(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? fetch(request);
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith(INDEX)) event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});

export {};
