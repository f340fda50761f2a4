/**
 * The express application: security headers, JSON API under `/api`, the web
 * apps. Routes are thin; everything they need is passed in.
 */
import express from 'express';
import type { Sessions } from '../auth/sessions.js';
import type { TrustProxy } from '../config.js';
import type { SignInGuard } from '../auth/signInGuard.js';
import type { Logger } from '../logger.js';
import { type Health, PROTOCOL_VERSION, type PublicUrlCheck, ok } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { NoticeService } from '../services/notices.js';
import type { ReportService } from '../services/reports.js';
import type { UserService } from '../services/users.js';
import type { VillageService } from '../services/villages.js';
import { authRoutes } from './auth.js';
import { createRateLimit } from '../auth/rateLimit.js';
import type { EventBus } from '../events.js';
import { deviceRoutes } from './devices.js';
import { apiNotFound, bodyDeadline, errorHandler, sameOriginOnly, utf8Only, wellFormedText } from './middleware.js';
import { noticeRoutes } from './notices.js';
import { publicNoticeRoutes } from './publicNotice.js';
import { recordRoutes } from './records.js';
import { send } from './respond.js';
import { securityHeaders } from './securityHeaders.js';
import { type RouteDef, mountRoutes, route } from './routes.js';
import { type DiskWatch, DISK_FULL_MESSAGE } from '../ops/diskWatch.js';
import type { IntegrityCheck, LedgerService } from '../services/ledger.js';
import type { SettingsService } from '../services/settings.js';
import { ledgerRoutes } from './ledger.js';
import { reportRoutes } from './reports.js';
import { settingsRoutes } from './settings.js';
import { signRoutes } from './signs.js';
import type { SignsService } from '../services/signs.js';
import { townRoutes } from './town.js';
import { userRoutes } from './users.js';
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

/** Every route with its access rule: API routes relative to `/api`, public pages (`at: 'site'`) from the site root. */
export function apiRoutes(deps: HttpDeps): RouteDef[] {
  return [
    route('get', '/health', 'public', async (_req, res) => {
      const disk = await deps.disk.status();
      send(
        res,
        ok<Health>({
          status: disk.full ? 'degraded' : 'ok',
          ...(disk.full && { problems: [{ code: 'disk_full', message: DISK_FULL_MESSAGE, since: disk.since }] }),
          version: deps.version,
          protocol: PROTOCOL_VERSION,
          build: deps.build(),
          uptimeSec: Math.round((deps.now() - deps.startedAt) / 1000),
        }),
      );
    }),
    ...authRoutes(deps),
    ...userRoutes(deps),
    ...townRoutes(deps),
    ...noticeRoutes(deps),
    ...deviceRoutes({
      ...deps,
      pairingLimit: createRateLimit({ burst: 10, perSecond: 0.2, now: deps.now }),
      claimLimit: createRateLimit({ burst: 60, perSecond: 5, now: deps.now }),
    }),
    ...recordRoutes(deps),
    ...settingsRoutes(deps),
    ...ledgerRoutes(deps),
    ...reportRoutes(deps),
    ...publicNoticeRoutes(deps),
    ...signRoutes(deps),
  ];
}

const isPage = (r: RouteDef): boolean => r.at === 'site';

export function createHttpApp(deps: HttpDeps, routes: readonly RouteDef[] = apiRoutes(deps)): express.Express {
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
  const apiOnly = routes.filter((r) => !isPage(r));
  mountRoutes(api, apiOnly, deps.sessions);
  api.use(apiNotFound);
  api.use(errorHandler(deps.logger.child('http'), deps.disk));

  app.use('/api', api);
  const pages = express.Router();
  mountRoutes(pages, routes.filter(isPage), deps.sessions);
  app.use(pages);
  app.use(webRouter(deps));
  app.use(errorHandler(deps.logger.child('http'), deps.disk));
  return app;
}
