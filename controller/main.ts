/**
 * The composition root: the only place that reads configuration, creates the
 * parts, wires them together and starts and stops them in order.
 *
 * `npm start` runs this file; tests call {@link createController} with a
 * temporary data directory and port 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSessions } from './auth/sessions.js';
import { createSignInGuard } from './auth/signInGuard.js';
import { type Clock, systemClock } from './clock.js';
import { CONFIG_HELP, type Config, ConfigError, loadProcessConfig } from './config.js';
import { holdDataDir, createTownStart, openState } from './ops/bootstrap.js';
import { createDemoNode, loopbackUrl } from './ops/demoNode.js';
import { DEMO_ACCOUNTS_FILE, type FirstStartResult, INITIAL_PASSWORD_FILE } from './ops/firstStart.js';
import { createParts, step } from './ops/lifecycle.js';
import { liveVersion } from './domain/notices.js';
import { createEventBus } from './events.js';
import { type HttpDeps, apiRoutes, createHttpApp } from './http/app.js';
import type { Access } from './http/routes.js';
import { type Logger, createLogger } from './logger.js';
import { createPublicUrl } from './publicUrl.js';
import type { TrustFn } from './realtime/address.js';
import { attachAdminNamespace } from './realtime/admin.js';
import { attachKioskNamespace } from './realtime/kiosk.js';
import { attachNodeNamespace } from './realtime/node.js';
import { createHubs } from './realtime/hubs.js';
import { createLedgerService } from './services/ledger.js';
import { createNodeRecordService } from './services/nodeRecords.js';
import { createSettingsService } from './services/settings.js';
import { createNodeSigns } from './services/nodeSigns.js';
import { createPlaylistService } from './services/playlists.js';
import { createSocketServer } from './realtime/server.js';
import { createDeviceService } from './services/devices.js';
import { createDisplayService } from './services/displays.js';
import { createNoticeService } from './services/notices.js';
import { createNoticeExpiry } from './services/noticeExpiry.js';
import { createSignCatalog } from './services/signCatalog.js';
import { createReportService } from './services/reports.js';
import { createUserService } from './services/users.js';
import { createWitnessService } from './services/witnesses.js';
import { createVillageService } from './services/villages.js';
import { type HolidayCalendar, createHolidayCalendar } from './protocol/index.js';
import { SAVE_EVERY_RECORDS, createIndexKeeper } from './store/indexSnapshot.js';
import { createIntegrityCheck } from './store/integrity.js';
import { type LedgerEntry, createLedger } from './store/ledger.js';
import { reconcileLedger } from './store/reconcile.js';
import { settleLedgerMark } from './store/recordThenSave.js';
import { createDiskWatch } from './ops/diskWatch.js';
import { stopOnSignals } from './ops/signals.js';
import { SerialPort } from 'serialport';
import { type SignsServiceDeps, createSignsService } from './services/signs.js';
import { createSignProfileStore } from './store/signProfiles.js';
import { createAggregateStore, observeLedger } from './reports/index.js';
import { recordRestart } from './ops/restart.js';
import { type Settings, type StateStore, createStateStore } from './store/state.js';

export { DEMO_ACCOUNTS_FILE, INITIAL_PASSWORD_FILE };

/** The first admin account and the demo accounts (ops/firstStart.ts), and what the banner and the tests need. */
export interface RunningController extends FirstStartResult {
  /** Base URL staff and devices use. */
  url: string;
  port: number;
  demoMode: boolean;
  kioskUrls: { village: string; url: string }[];
  /** Set when the public URL is a loopback one although other machines can connect: the option to set. */
  publicUrlOption: string | null;
  /** The routes with their access rules (for the authorization tests); `at: 'site'` for pages outside `/api`. */
  routes: { method: string; path: string; access: Access; at: 'api' | 'site' }[];
  stop(): Promise<void>;
}

/** The package root: where package.json is, whether running from source or from dist/. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

function readBuildId(webDir: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(webDir, 'build.json'), 'utf8')) as { build?: unknown };
    return typeof parsed.build === 'string' ? parsed.build : 'dev';
  } catch {
    return 'dev';
  }
}

/**
 * Timings production leaves at their defaults; the fault suite and the soak shorten them so that a silent
 * kiosk, a rebooted sign or an expired notice shows within seconds, and the soak passes its own serial binding.
 */
export interface ControllerTuning {
  /** socket.io heartbeat: a peer that stops answering is dropped after interval + timeout (defaults 25 s + 20 s). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  expiryIntervalMs?: number;
  /**
   * log2 of scrypt's N for the password hashes this controller writes (default PASSWORD_COST, OWASP's 2^17). The
   * test helpers lower it: hundreds of controllers each hash three first-start passwords, and every sign-in checks
   * at the cost its hash records. The hashing and checking code is the same.
   */
  passwordCost?: number;
  signs?: Partial<Pick<SignsServiceDeps, 'binding' | 'tickMs' | 'tuning' | 'healthIntervalMs' | 'eqRefreshMs' | 'contentCheckMs'>>;
}

export async function createController(
  config: Config,
  options: { logger?: Logger; clock?: Clock; tuning?: ControllerTuning } = {},
): Promise<RunningController> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  let build = readBuildId(config.webDir);
  const { dataDir } = config;

  // The parts, built before any of them starts: each reads the others only when asked, once they run.
  const store = createStateStore({ dataDir, logger: logger.child('store'), now });
  const ledger = observeLedger<LedgerEntry>(createLedger({ dataDir, logger: logger.child('ledger'), now }));
  const aggregates = createAggregateStore({ dataDir, ledger, logger: logger.child('aggregates') });
  const bus = createEventBus();
  const integrity = createIntegrityCheck({ dataDir, ledger, now, logger: logger.child('integrity') });
  const passwordCost = options.tuning?.passwordCost;
  const sessions = createSessions({ store, bus, now, ...(passwordCost !== undefined && { passwordCost }) });
  const calendar = holidayCalendarOf(store);
  const held = holdDataDir({ dataDir, logger: logger.child('ops'), now, gongshiVersion: version });
  const state = openState(store);
  const town = createTownStart({
    demo: config.demo,
    fresh: state.fresh,
    dataDir,
    store,
    ledger,
    calendar,
    now,
    logger,
    ...(passwordCost !== undefined && { passwordCost }),
  });
  const demoMode = town.demoMode;
  // LED signs: saved profiles, plus one emulated sign per village in demo mode.
  const signCatalog = createSignCatalog({ saved: createSignProfileStore({ dataDir }), store, demoMode });
  const notices = createNoticeService({ store, ledger, bus, clock, calendar, logger: logger.child('notices') });
  const signInGuard = createSignInGuard({ now });
  const villages = createVillageService({ store, ledger, bus, logger: logger.child('villages') });
  const initialPasswordFile = path.join(dataDir, INITIAL_PASSWORD_FILE);
  const users = createUserService({
    store,
    ledger,
    sessions,
    clock,
    logger: logger.child('users'),
    ...(passwordCost !== undefined && { passwordCost }),
    onPasswordReplaced: async (username) => {
      const text = await readFile(initialPasswordFile, 'utf8').catch(() => '');
      if (text.startsWith(`username: ${username}\n`)) await rm(initialPasswordFile, { force: true });
    },
  });
  const reports = createReportService({
    signs: signCatalog.all,
    dataDir,
    ledger,
    aggregates,
    store,
    clock,
    calendar,
    logger: logger.child('reports'),
  });
  const displays = createDisplayService({
    ledger,
    dataDir,
    store,
    bus,
    clock,
    logger: logger.child('displays'),
    // Called per receipt batch, long after `devices` exists.
    clockOffset: (deviceId) => devices.clockOffset(deviceId),
  });
  const playlists = createPlaylistService({ store, now });
  const nodeRecords = createNodeRecordService({ ledger, dataDir, now, store, signs: signCatalog.all, logger: logger.child('node') });
  const devices = createDeviceService({
    store,
    ledger,
    bus,
    clock,
    logger: logger.child('devices'),
    missingReceipts: (deviceId) => displays.gaps(deviceId).missing.length + nodeRecords.missing(deviceId),
    noticeTitle: (noticeId) => {
      const notice = store.read().notices.find((n) => n.id === noticeId);
      return notice ? (liveVersion(notice)?.content.title ?? null) : null;
    },
  });
  // The indexes' snapshots, and the state's ledger mark, follow the ledger, so the next start (even after a
  // kill -9) reads only what came after them (store/indexSnapshot.ts).
  const indexKeeper = createIndexKeeper({
    indexes: [displays.index, nodeRecords.index],
    position: () => ledger.position(),
    logger: logger.child('indexes'),
    alsoEvery: async () => {
      const mark = store.read().ledgerMark;
      if (!mark || ledger.head().seq - mark.seq >= SAVE_EVERY_RECORDS) await settleLedgerMark({ ledger, store });
    },
  });
  const nodeSigns = createNodeSigns({ profiles: signCatalog.all });
  const signs = createSignsService({
    profiles: signCatalog.saved,
    playlists,
    remote: nodeSigns,
    ledger,
    bus,
    clock,
    logger: logger.child('led'),
    binding: SerialPort.binding,
    extraProfiles: signCatalog.demo,
    ...options.tuning?.signs,
  });

  // Started in this order, stopped in the reverse one (ops/lifecycle.ts).
  const parts = createParts(logger);
  try {
    // Hold the data directory, back it up before a schema migration, load the checkpoint signing key.
    await parts.start('data directory', held);
    await parts.start('state', state);
    await parts.start('ledger', ledger);
    // The chain from the last verified point before anything reads it; a break holds reports back (store/integrity.ts).
    await parts.start('integrity', integrity);
    // After a crash: void the staff changes the ledger holds but the state never got (store/reconcile.ts);
    // on stop, the state's ledger mark is brought up to the ledger's head.
    await parts.start('reconcile', {
      start: async () => {
        await reconcileLedger({ dataDir, ledger, store, logger: logger.child('reconcile') });
      },
      stop: () => settleLedgerMark({ ledger, store }).catch((error: unknown) => logger.warn('could not settle the ledger mark', { error })),
    });
    await parts.start('aggregates', aggregates);
    // Before any device connects: close what the last run left open (kiosks online, sign outages) if it was killed.
    await parts.start(
      'restart',
      step(() =>
        recordRestart({
          ledger,
          coverage: aggregates.current().coverage,
          devices: store.read().devices,
          now: now(),
          logger: logger.child('restart'),
        }),
      ),
    );
    await parts.start(
      'displays',
      step(() => displays.start()),
    );
    await parts.start(
      'node records',
      step(() => nodeRecords.start()),
    );
    await parts.start('indexes', indexKeeper);
    await parts.start('devices', devices);
    // The first admin account and, in demo mode, the demo town (ops/firstStart.ts).
    await parts.start('first start', town);
    await parts.start('sign catalog', signCatalog);
    await parts.start('signs', signs);

    // The edges: HTTP and socket.io, which only parse, authorise, call the services and answer.
    const allowedOrigins = () => (config.publicUrl ? [new URL(config.publicUrl).origin] : []);
    const publicUrl = createPublicUrl({
      configured: config.publicUrl,
      host: config.host,
      behindProxy: config.trustProxy !== false,
      logger: logger.child('public-url'),
    });
    const kioskUrl = (deviceId: string) => `${publicUrl.url()}/kiosk/?device=${encodeURIComponent(deviceId)}`;
    const witnesses = createWitnessService({
      ledger,
      signingKey: held.signingKey,
      town: () => store.read().town.name,
      now,
      logger: logger.child('witness'),
    });
    const httpDeps: HttpDeps = {
      version,
      build: () => build,
      startedAt: now(),
      now,
      webDir: config.webDir,
      allowedOrigins,
      trustProxy: config.trustProxy,
      kioskUrl,
      publicUrlCheck: () => publicUrl.check(),
      ledger: createLedgerService({ dataDir, now, ledger, store, signingKey: held.signingKey(), integrity, witnesses }),
      settings: createSettingsService({ store, ledger, bus }),
      sessions,
      signInGuard,
      users,
      villages,
      notices,
      devices,
      displays,
      bus,
      reports,
      signs,
      disk: createDiskWatch({ dataDir, now }),
      integrity,
      logger,
    };
    const routes = apiRoutes(httpDeps);
    const httpApp = createHttpApp(httpDeps, routes);
    const trustProxy = httpApp.get('trust proxy fn') as TrustFn;
    const httpServer = createServer(httpApp);
    const io = createSocketServer(httpServer, {
      allowedOrigins,
      ...(options.tuning?.pingIntervalMs && { pingIntervalMs: options.tuning.pingIntervalMs }),
      ...(options.tuning?.pingTimeoutMs && { pingTimeoutMs: options.tuning.pingTimeoutMs }),
    });
    const kioskHub = attachKioskNamespace(io, {
      bus,
      devices,
      displays,
      playlists,
      clock,
      logger: logger.child('kiosk'),
      demoMode,
      build: () => build,
      witnesses,
      trustProxy,
      onConnected: (kiosk) => publicUrl.kioskConnected(kiosk),
    });
    const nodeHub = attachNodeNamespace(io, {
      bus,
      devices,
      records: nodeRecords,
      nodeSigns,
      playlists,
      signProfiles: signCatalog.all,
      clock,
      logger: logger.child('node'),
      demoMode,
      build: () => build,
      trustProxy,
    });
    const adminHub = attachAdminNamespace(io, {
      sessions,
      devices,
      signs,
      bus,
      logger: logger.child('admin'),
      build: () => build,
      trustProxy,
    });
    // Playlist changes pushed to the kiosks and nodes; stopping closes the socket server and the HTTP server with it.
    await parts.start('hubs', createHubs({ io, bus, hubs: [kioskHub, nodeHub, adminHub], onStale: () => nodeRecords.noteAttachments() }));
    // Notices whose window ended, now and every expiryIntervalMs.
    await parts.start('expiry', createNoticeExpiry({ notices, logger, intervalMs: options.tuning?.expiryIntervalMs }));

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    publicUrl.listening(port);
    const baseUrl = publicUrl.url();
    build = readBuildId(config.webDir);
    logger.info(`listening on ${baseUrl}`, { version, build, demoMode: demoMode() });

    // Demo mode: the demo village node, in-process, over loopback like a node in a village over the network.
    await parts.start(
      'demo node',
      createDemoNode({
        enabled: demoMode,
        store,
        controllerUrl: () => loopbackUrl(config.host, port),
        dataDir,
        build: `node-${version}`,
        logger: logger.child('demo-node'),
        ...(options.tuning?.signs && { tuning: { signs: options.tuning.signs } }),
      }),
    );

    const townVillages = store.read().villages;
    const kioskUrls = store
      .read()
      .devices.filter((d) => d.demo && d.kind === 'kiosk' && demoMode())
      .map((d) => ({ village: townVillages.find((v) => v.id === d.villageId)?.name ?? d.villageId, url: kioskUrl(d.id) }));

    let stopping: Promise<void> | null = null;
    return {
      url: baseUrl,
      port,
      demoMode: demoMode(),
      ...town.accounts(),
      kioskUrls,
      publicUrlOption:
        publicUrl.check().loopback && config.host !== '127.0.0.1' && config.host !== '::1' && config.host !== 'localhost'
          ? (publicUrl.check().option ?? null)
          : null,
      routes: routes.map(({ method, path: routePath, access, at }) => ({ method, path: routePath, access, at: at ?? 'api' })),
      stop: () => {
        stopping ??= parts.stop().then(() => logger.info('stopped'));
        return stopping;
      },
    };
  } catch (error) {
    await parts.stop();
    throw error;
  }
}

/** The working-day calendar: the built-in table plus the town's overrides, rebuilt only when those change. */
function holidayCalendarOf(store: StateStore): () => HolidayCalendar {
  let cached: { overrides: Settings['holidayOverrides']; calendar: HolidayCalendar } | null = null;
  return () => {
    const overrides = store.read().settings.holidayOverrides;
    if (cached?.overrides !== overrides) cached = { overrides, calendar: createHolidayCalendar(overrides) };
    return cached.calendar;
  };
}

function printBanner(c: RunningController): void {
  const lines = ['', '  公示 Gongshi is running', '', `  管理后台 Admin:     ${c.url}/admin/`];
  if (c.initialAdmin) {
    lines.push(
      c.initialAdmin.password
        ? `  首个管理员 First admin: user "${c.initialAdmin.username}", password "${c.initialAdmin.password}" (also in ${c.initialAdmin.file})`
        : `  首个管理员 First admin: user "${c.initialAdmin.username}", password in ${c.initialAdmin.file}`,
    );
  }
  if (c.demoAccounts.length > 0) {
    lines.push('', '  演示账号 Demo accounts (demo mode only):');
    for (const a of c.demoAccounts) lines.push(`    ${a.username.padEnd(9)} ${a.password}  ${a.role}`);
  }
  if (c.kioskUrls.length > 0) {
    lines.push('', '  演示触摸屏 Demo kiosks (open on this machine):');
    for (const k of c.kioskUrls) lines.push(`    ${k.village.padEnd(6, '　')} ${k.url}`);
  }
  if (c.publicUrlOption) {
    const bar = '  ' + '!'.repeat(72);
    lines.push(
      '',
      bar,
      `  !! 公开地址是 ${c.url}，只在本机有效：其他电脑上的触摸屏打不开，村民手机扫二维码也打不开。`,
      `  !! The public URL ${c.url} works on this machine only: kiosks elsewhere and phones scanning QR codes cannot open it.`,
      `  !! 请设置 Set:  ${c.publicUrlOption}`,
      `  !! （或环境变量 or GONGSHI_PUBLIC_URL）`,
      bar,
    );
  }
  lines.push('', `  健康检查 Health:    ${c.url}/api/health`, '  Ctrl+C 停止 stops the controller.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(CONFIG_HELP);
    return;
  }
  let config: Config;
  try {
    config = loadProcessConfig({ defaultWebDir: path.join(packageRoot(), 'dist/web') });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${CONFIG_HELP}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const controller = await createController(config);
  printBanner(controller);
  stopOnSignals(() => controller.stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  run().catch((error: unknown) => {
    process.stderr.write(`Gongshi could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
