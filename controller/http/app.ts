/**
 * The express application: security headers, JSON API under `/api`, the web
 * apps. Routes are thin; everything they need is passed in.
 */
import express from 'express';
import type { Sessions } from '../auth/sessions.js';
import type { TrustProxy } from '../config.js';
import type { SignInGuard } from '../auth/signInGuard.js';
import type { Logger } from '../logger.js';
import { type ApiRoutes, API_ROUTES, type HEALTH_ROUTES, PROTOCOL_VERSION, type PublicUrlCheck, ok } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { NoticeService } from '../services/notices.js';
import type { ReportService } from '../services/reports.js';
import type { UserService } from '../services/users.js';
import type { VillageService } from '../services/villages.js';
import { authHandlers } from './auth.js';
import { createRateLimit } from '../auth/rateLimit.js';
import type { EventBus } from '../events.js';
import { deviceHandlers } from './devices.js';
import { apiNotFound, bodyDeadline, errorHandler, sameOriginOnly, utf8Only, wellFormedText } from './middleware.js';
import { noticeHandlers } from './notices.js';
import { publicNoticeHandlers } from './publicNotice.js';
import { recordHandlers } from './records.js';
import { send } from './respond.js';
import { securityHeaders } from './securityHeaders.js';
import { type Handlers, mountRoutes } from './routes.js';
import { type DiskWatch, DISK_FULL_MESSAGE } from '../ops/diskWatch.js';
import type { IntegrityCheck, LedgerService } from '../services/ledger.js';
import type { SettingsService } from '../services/settings.js';
import { ledgerHandlers } from './ledger.js';
import { heldWhileBroken, reportHandlers } from './reports.js';
import { settingsHandlers } from './settings.js';
import { signHandlers } from './signs.js';
import type { SignsService } from '../services/signs.js';
import { townHandlers } from './town.js';
import { userHandlers } from './users.js';
import { webRouter } from './web.js';

export const JSON_BODY_LIMIT = '256kb';

export interface HttpDeps {
  version: string;
  build: () => string;
  startedAt: number;
  now: () => number;
  webDir: string;
  allowedOrigins: () => readonly string[];
  /** Express's `trust proxy` (config `--trust-proxy`): whose X-Forwarded-For/-Proto to believe. */
  trustProxy: TrustProxy;
  kioskUrl: (deviceId: string) => string;
  /** The address QR codes and kiosk links carry, and whether phones can open it (controller/publicUrl.ts). */
  publicUrlCheck: () => PublicUrlCheck;
  ledger: LedgerService;
  settings: SettingsService;
  sessions: Sessions;
  signInGuard: SignInGuard;
  users: UserService;
  villages: VillageService;
  notices: NoticeService;
  devices: DeviceService;
  displays: DisplayService;
  reports: ReportService;
  bus: EventBus;
  signs: SignsService;
  /** Notices a full data disk, for the health check and the API's answers. */
  disk: DiskWatch;
  /** The ledger's own check (controller/store/integrity.ts): a break holds the reports back. */
  integrity: IntegrityCheck;
  logger: Logger;
}

function healthHandlers(deps: HttpDeps): Handlers<typeof HEALTH_ROUTES> {
  return {
    health: async (_req, res) => {
      const disk = await deps.disk.status();
      send(
        res,
        ok({
          status: disk.full ? 'degraded' : 'ok',
          ...(disk.full && { problems: [{ code: 'disk_full' as const, message: DISK_FULL_MESSAGE, since: disk.since }] }),
          version: deps.version,
          protocol: PROTOCOL_VERSION,
          build: deps.build(),
          uptimeSec: Math.round((deps.now() - deps.startedAt) / 1000),
        }),
      );
    },
  };
}

/** A handler for every route of the contract's table (protocol/routes.ts), keyed by its name. */
export function apiHandlers(deps: HttpDeps): Handlers<ApiRoutes> {
  return {
    ...healthHandlers(deps),
    ...authHandlers(deps),
    ...userHandlers(deps),
    ...townHandlers(deps),
    ...noticeHandlers(deps),
    ...deviceHandlers({
      ...deps,
      pairingLimit: createRateLimit({ burst: 10, perSecond: 0.2, now: deps.now }),
      claimLimit: createRateLimit({ burst: 60, perSecond: 5, now: deps.now }),
    }),
    ...recordHandlers(deps),
    ...settingsHandlers(deps),
    ...ledgerHandlers(deps),
    ...reportHandlers(deps),
    ...publicNoticeHandlers(deps),
    ...signHandlers(deps),
  };
}

export function createHttpApp(deps: HttpDeps, handlers: Handlers<ApiRoutes> = apiHandlers(deps)): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy that terminates TLS, req.secure and req.ip come from its X-Forwarded-* headers.
  app.set('trust proxy', deps.trustProxy);
  app.use(securityHeaders());
  app.use(bodyDeadline());

  const api = express.Router();
  api.use(express.json({ limit: JSON_BODY_LIMIT, verify: utf8Only }));
  api.use(wellFormedText);
  api.use(sameOriginOnly(deps.allowedOrigins));
  const gates = [heldWhileBroken(deps.integrity)];
  mountRoutes(api, 'api', API_ROUTES, handlers, deps.sessions, gates);
  api.use(apiNotFound);
  api.use(errorHandler(deps.logger.child('http'), deps.disk));

  app.use('/api', api);
  const pages = express.Router();
  mountRoutes(pages, 'site', API_ROUTES, handlers, deps.sessions);
  app.use(pages);
  app.use(webRouter(deps));
  app.use(errorHandler(deps.logger.child('http'), deps.disk));
  return app;
}

/** A layer of express's router stack, as far as {@link mountedRoutes} reads it. */
interface StackLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: { stack?: StackLayer[] };
}

/**
 * Every route the app answers, read back from express's router (method and full path): what the route-table test
 * compares with the contract, so a route mounted beside the table is found.
 */
export function mountedRoutes(app: express.Express): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  const walk = (stack: readonly StackLayer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths: unknown[] = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') found.push({ method, path: `${prefix}${String(p)}` });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''}`);
      }
    }
  };
  walk((app.router as unknown as { stack: StackLayer[] }).stack, '');
  return found;
}
