/**
 * The composition root: the only place that reads configuration, creates the
 * parts, wires them together and starts and stops them in order.
 *
 * `npm start` runs this file; tests call {@link createController} with a
 * temporary data directory and port 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { createSessions } from './auth/sessions.js';
import { type Clock, systemClock } from './clock.js';
import { CONFIG_HELP, type Config, ConfigError, loadProcessConfig } from './config.js';
import { isDemoTown, seedDemoTown } from './demo.js';
import { createEventBus } from './events.js';
import { createHttpApp } from './http/app.js';
import { type Logger, createLogger } from './logger.js';
import { attachAdminNamespace } from './realtime/admin.js';
import { attachKioskNamespace } from './realtime/kiosk.js';
import { createSocketServer } from './realtime/server.js';
import { createDeviceService } from './services/devices.js';
import { createDisplayService } from './services/displays.js';
import { createNoticeService } from './services/notices.js';
import { createLedger } from './store/ledger.js';
import { createStateStore } from './store/state.js';

export const INITIAL_PASSWORD_FILE = 'initial-admin-password.txt';

export interface RunningController {
  /** Base URL staff and devices use. */
  url: string;
  port: number;
  demoMode: boolean;
  /** Set on the start that created the first admin account; afterwards the password is only in the data directory's file. */
  initialAdmin: { username: string; password: string | null; file: string } | null;
  kioskUrls: { village: string; url: string }[];
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

export async function createController(config: Config, options: { logger?: Logger; clock?: Clock } = {}): Promise<RunningController> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  let build = readBuildId(config.webDir);

  const store = createStateStore({ dataDir: config.dataDir, logger: logger.child('store'), now });
  const ledger = createLedger({ dataDir: config.dataDir, logger: logger.child('ledger'), now });
  const bus = createEventBus();
  const sessions = createSessions({ store, bus, now });
  const notices = createNoticeService({ store, ledger, bus, clock, logger: logger.child('notices') });
  const devices = createDeviceService({ store, bus, clock, logger: logger.child('devices') });
  const displays = createDisplayService({ ledger, store, bus, clock, logger: logger.child('displays') });

  const { fresh } = await store.start();
  const stopped: (() => Promise<void>)[] = [() => store.stop()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stopped.reverse()) await stop().catch((error: unknown) => logger.error('error while stopping', { error }));
  };

  try {
    await ledger.start();
    stopped.push(() => ledger.stop());
    await displays.start();
    devices.start();
    stopped.push(() => devices.stop());

    const initialAdmin = await ensureFirstAdmin({ config, store, now, logger });
    const demoMode = config.demo === 'on' || (config.demo === 'auto' && (fresh || isDemoTown(store.read())));
    if (demoMode && store.read().villages.length === 0) {
      const adminId = store.read().users[0]?.id ?? 'system';
      const seededIds = await store.update((s) => {
        const before = new Set(s.notices.map((n) => n.id));
        seedDemoTown(s, now(), adminId);
        return s.notices.filter((n) => !before.has(n.id));
      });
      await ledger.append(
        seededIds.map((n) => ({ type: 'notice.approved', noticeId: n.id, contentHash: n.contentHash, actorId: adminId, demo: true })),
      );
      logger.info('seeded the demo town 彪角镇');
    }

    const allowedOrigins = () => (config.publicUrl ? [new URL(config.publicUrl).origin] : []);
    let baseUrl = config.publicUrl ?? '';
    const kioskUrl = (deviceId: string) => `${baseUrl}/kiosk/?device=${encodeURIComponent(deviceId)}`;
    const app = createHttpApp({
      version,
      build: () => build,
      startedAt: now(),
      now,
      webDir: config.webDir,
      allowedOrigins,
      kioskUrl,
      store,
      sessions,
      notices,
      devices,
      displays,
      logger,
    });
    const httpServer = createServer(app);
    const io = createSocketServer(httpServer, { allowedOrigins });
    const kioskHub = attachKioskNamespace(io, {
      store,
      devices,
      displays,
      clock,
      logger: logger.child('kiosk'),
      demoMode: () => demoMode,
      build: () => build,
    });
    const adminHub = attachAdminNamespace(io, { sessions, devices, bus, logger: logger.child('admin'), build: () => build });
    const onStale = () => kioskHub.publish();
    bus.on('playlists:stale', onStale);

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    stopped.push(async () => {
      bus.off('playlists:stale', onStale);
      adminHub.stop();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    baseUrl ||= `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
    build = readBuildId(config.webDir);
    logger.info(`listening on ${baseUrl}`, { version, build, demoMode });

    const { villages } = store.read();
    const kioskUrls = store
      .read()
      .devices.filter((d) => d.demo && demoMode)
      .map((d) => ({ village: villages.find((v) => v.id === d.villageId)?.name ?? d.villageId, url: kioskUrl(d.id) }));

    let stopping: Promise<void> | null = null;
    return {
      url: baseUrl,
      port,
      demoMode,
      initialAdmin,
      kioskUrls,
      stop: () => {
        stopping ??= stopAll().then(() => logger.info('stopped'));
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Creates the first admin account with a generated password when there are no users. */
async function ensureFirstAdmin(deps: {
  config: Config;
  store: ReturnType<typeof createStateStore>;
  now: () => number;
  logger: Logger;
}): Promise<RunningController['initialAdmin']> {
  const file = path.join(deps.config.dataDir, INITIAL_PASSWORD_FILE);
  if (deps.store.read().users.length > 0) {
    return existsSync(file)
      ? { username: (await readFile(file, 'utf8')).split('\n')[0]?.replace(/^username: /, '') ?? 'admin', password: null, file }
      : null;
  }
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await writeFile(file, `username: admin\npassword: ${password}\n# Delete this file once you have changed the password.\n`, {
    mode: 0o600,
  });
  await chmod(file, 0o600);
  try {
    await deps.store.update((s) => {
      s.users.push({
        id: 'u-admin',
        username: 'admin',
        displayName: '系统管理员',
        roles: ['admin', 'reviewer', 'editor'],
        passwordHash,
        disabled: false,
        createdAt: deps.now(),
      });
    });
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  deps.logger.info('created the first admin account "admin"');
  return { username: 'admin', password, file };
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
  if (c.kioskUrls.length > 0) {
    lines.push('', '  演示触摸屏 Demo kiosks (open on this machine):');
    for (const k of c.kioskUrls) lines.push(`    ${k.village.padEnd(6, '　')} ${k.url}`);
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
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    process.stdout.write(`${signal}: stopping…\n`);
    controller.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  run().catch((error: unknown) => {
    process.stderr.write(`Gongshi could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
