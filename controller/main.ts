/**
 * The composition root: the only place that reads configuration, creates the
 * parts, wires them together and starts and stops them in order.
 *
 * `npm start` runs this file; tests call {@link createController} with a
 * temporary data directory and port 0.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Clock, systemClock } from './clock.js';
import { CONFIG_HELP, type Config, ConfigError, loadProcessConfig } from './config.js';
import { type Logger, createLogger } from './logger.js';
import { composeData } from './ops/composeData.js';
import { type ControllerEdges, type HeartbeatTuning, composeEdges } from './ops/composeEdges.js';
import { createDemoNode, loopbackUrl } from './ops/demoNode.js';
import { DEMO_ACCOUNTS_FILE, type FirstStartResult, INITIAL_PASSWORD_FILE } from './ops/firstStart.js';
import { createParts } from './ops/lifecycle.js';
import { packageRoot, packageVersion } from './ops/packageInfo.js';
import { stopOnSignals } from './ops/signals.js';
import type { StateStore } from './store/state.js';
import { type SignsTuning, composeServices } from './services/index.js';

export { DEMO_ACCOUNTS_FILE, INITIAL_PASSWORD_FILE, packageRoot };

/** The first admin account and the demo accounts (ops/firstStart.ts), and what the banner and the tests need. */
export interface RunningController extends FirstStartResult {
  /** Base URL staff and devices use. */
  url: string;
  port: number;
  demoMode: boolean;
  kioskUrls: { village: string; url: string }[];
  /** Set when the public URL is a loopback one although other machines can connect: the option to set. */
  publicUrlOption: string | null;
  /** Every route express answers (method and full path), read back from the app: the route-table test compares it with the contract (protocol/routes.ts). */
  mounted: { method: string; path: string }[];
  stop(): Promise<void>;
}

/**
 * Timings production leaves at their defaults; the fault suite and the soak shorten them so that a silent
 * kiosk, a rebooted sign or an expired notice shows within seconds, and the soak passes its own serial binding.
 */
export interface ControllerTuning extends HeartbeatTuning {
  expiryIntervalMs?: number;
  /**
   * log2 of scrypt's N for the password hashes this controller writes (default PASSWORD_COST, OWASP's 2^17). The
   * test helpers lower it: hundreds of controllers each hash three first-start passwords, and every sign-in checks
   * at the cost its hash records. The hashing and checking code is the same.
   */
  passwordCost?: number;
  signs?: SignsTuning;
}

export async function createController(
  config: Config,
  options: { logger?: Logger; clock?: Clock; tuning?: ControllerTuning } = {},
): Promise<RunningController> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const { dataDir } = config;
  const version = packageVersion();
  const tuning = options.tuning ?? {};
  const { signs, expiryIntervalMs, passwordCost } = tuning;

  // The parts, built before any of them starts: each reads the others only when asked, once they run.
  const data = composeData({ dataDir, demo: config.demo, version, clock, logger, passwordCost });
  const services = composeServices(data, { dataDir, clock, logger, signs, expiryIntervalMs, passwordCost });
  const demoMode = data.town.demoMode;

  // Started in this order, stopped in the reverse one (ops/lifecycle.ts).
  const parts = createParts(logger);
  try {
    await parts.startAll(data.parts);
    await parts.startAll(services.parts);
    // The edges: HTTP and socket.io, which only parse, authorise, call the services and answer.
    const edges = composeEdges(config, services, { version, clock, demoMode, logger, heartbeat: tuning });
    await parts.start('hubs', edges.hubs);
    await parts.start('expiry', services.expiry);
    const port = await edges.listen();
    logger.info(`listening on ${edges.publicUrl.url()}`, { version, build: edges.build(), demoMode: demoMode() });

    // Demo mode: the demo village node, in-process, over loopback like a node in a village over the network.
    await parts.start(
      'demo node',
      createDemoNode({
        enabled: demoMode,
        store: data.store,
        controllerUrl: () => loopbackUrl(config.host, port),
        dataDir,
        build: `node-${version}`,
        logger: logger.child('demo-node'),
        ...(signs && { tuning: { signs } }),
      }),
    );
    let stopping: Promise<void> | null = null;
    const stop = () => (stopping ??= parts.stop().then(() => logger.info('stopped')));
    return { ...describeRun(config, edges, data.store, demoMode()), port, ...data.town.accounts(), stop };
  } catch (error) {
    await parts.stop();
    throw error;
  }
}

/** What the banner and the tests are told about a run: its addresses, demo kiosks and routes. */
function describeRun(
  config: Pick<Config, 'host'>,
  edges: ControllerEdges,
  store: StateStore,
  demoMode: boolean,
): Pick<RunningController, 'url' | 'demoMode' | 'kioskUrls' | 'publicUrlOption' | 'mounted'> {
  const { villages, devices } = store.read();
  const check = edges.publicUrl.check();
  const onlyHere = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  return {
    url: edges.publicUrl.url(),
    demoMode,
    kioskUrls: devices
      .filter((d) => d.demo && d.kind === 'kiosk' && demoMode)
      .map((d) => ({ village: villages.find((v) => v.id === d.villageId)?.name ?? d.villageId, url: edges.kioskUrl(d.id) })),
    publicUrlOption: check.loopback && !onlyHere ? (check.option ?? null) : null,
    mounted: edges.mounted,
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
