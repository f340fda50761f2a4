/**
 * Serves the built admin and kiosk apps (vite output in `webDir`): hashed
 * assets cached for a year (JavaScript and CSS gzip-compressed, compressed.ts),
 * each app's index.html for every path under it, and the kiosk's service
 * worker (revalidated on every load).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { compressedAssets } from './compressed.js';

const APPS = ['admin', 'kiosk'] as const;

const KIOSK_WORKER_PATH = '/kiosk/sw.js';
const appPaths = (app: string): string[] => [`/${app}`, `/${app}/`, `/${app}/*rest`];

/** The web apps' routes (besides `/assets`), outside the API's route table: the route-table test allows exactly these. */
export const WEB_APP_PATHS: readonly string[] = ['/', KIOSK_WORKER_PATH, ...APPS.flatMap(appPaths)];

export function webRouter(deps: { webDir: string }): Router {
  const router = Router();
  const assets = path.join(deps.webDir, 'assets');
  router.use('/assets', compressedAssets(assets, 'public, max-age=31536000, immutable'));
  router.use('/assets', express.static(assets, { immutable: true, maxAge: '365d', index: false, fallthrough: false }));

  // The kiosk's service worker: its address gives it the scope /kiosk/, and the browser must see each new build's at once.
  const kioskWorker = path.join(deps.webDir, 'kiosk', 'sw.js');
  router.get(KIOSK_WORKER_PATH, (_req, res) => {
    if (!existsSync(kioskWorker)) {
      res.status(404).type('text/plain; charset=utf-8').send('The kiosk app is not built yet.\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Service-Worker-Allowed', '/kiosk/');
    res.sendFile(kioskWorker);
  });

  for (const app of APPS) {
    const index = path.join(deps.webDir, app, 'index.html');
    router.get(appPaths(app), (req, res) => {
      if (req.path === `/${app}`) return res.redirect(301, `/${app}/${req.url.slice(app.length + 1)}`);
      if (!existsSync(index)) {
        res
          .status(503)
          .type('text/plain; charset=utf-8')
          .send(`The ${app} app is not built yet. Run \`npm run build\` (or \`npm start\`, which builds first) and reload.\n`);
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
  router.get('/', (_req, res) => res.redirect(302, '/admin/'));
  return router;
}
