/**
 * The express application: security headers, JSON API under `/api`, the web
 * apps. Routes are thin; everything they need is passed in.
 */
import express from 'express';
import type { Sessions } from '../auth/sessions.js';
import type { Logger } from '../logger.js';
import { type Health, PROTOCOL_VERSION, ok } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { NoticeService } from '../services/notices.js';
import type { StateStore } from '../store/state.js';
import { authRouter } from './auth.js';
import { devicesRouter } from './devices.js';
import { apiNotFound, errorHandler, requireSession, sameOriginOnly } from './middleware.js';
import { noticesRouter } from './notices.js';
import { recordsRouter } from './records.js';
import { send } from './respond.js';
import { townRouter } from './town.js';
import { webRouter } from './web.js';

export const JSON_BODY_LIMIT = '256kb';

export interface HttpDeps {
  version: string;
  build: () => string;
  startedAt: number;
  now: () => number;
  webDir: string;
  allowedOrigins: () => readonly string[];
  kioskUrl: (deviceId: string) => string;
  store: StateStore;
  sessions: Sessions;
  notices: NoticeService;
  devices: DeviceService;
  displays: DisplayService;
  logger: Logger;
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });

  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use(sameOriginOnly(deps.allowedOrigins));
  api.get('/health', (_req, res) => {
    send(
      res,
      ok<Health>({
        status: 'ok',
        version: deps.version,
        protocol: PROTOCOL_VERSION,
        build: deps.build(),
        uptimeSec: Math.round((deps.now() - deps.startedAt) / 1000),
      }),
    );
  });
  api.use('/auth', authRouter(deps));
  const staff = requireSession(deps.sessions);
  api.use('/town', staff, townRouter(deps));
  api.use('/notices', staff, noticesRouter(deps));
  api.use('/devices', staff, devicesRouter(deps));
  api.use('/records', staff, recordsRouter(deps));
  api.use(apiNotFound);
  api.use(errorHandler(deps.logger.child('http')));

  app.use('/api', api);
  app.use(webRouter(deps));
  app.use(errorHandler(deps.logger.child('http')));
  return app;
}
