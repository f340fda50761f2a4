/**
 * All configuration, read once from the command line and the environment,
 * validated together so that every problem is reported at once. Nothing else
 * in the controller reads `process.env` or `process.argv`.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import { type OptionSpec, readOptions } from './util/cli.js';

export type DemoSetting = 'auto' | 'on' | 'off';

export interface Config {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly dataDir: string;
  /** Base URL printed for staff and encoded in QR codes, without a trailing slash; null = derived from the listening address. */
  readonly publicUrl: string | null;
  /** `auto`: seed the demo town when the data directory is new. */
  readonly demo: DemoSetting;
  readonly logLevel: LogLevel;
  /** Where the built admin and kiosk apps are. */
  readonly webDir: string;
  /**
   * Which reverse proxies may tell the controller the client's address and scheme (X-Forwarded-For/-Proto),
   * as express's `trust proxy`: false (none), a hop count, or addresses/subnets/`loopback`-style names.
   */
  readonly trustProxy: TrustProxy;
}

export type TrustProxy = false | number | readonly string[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  port: { flag: '--port', env: 'PORT' },
  host: { flag: '--host', env: 'GONGSHI_HOST' },
  dataDir: { flag: '--data', env: 'GONGSHI_DATA_DIR' },
  publicUrl: { flag: '--public-url', env: 'GONGSHI_PUBLIC_URL' },
  demo: { flag: '--demo', env: 'GONGSHI_DEMO' },
  logLevel: { flag: '--log-level', env: 'GONGSHI_LOG_LEVEL' },
  webDir: { flag: '--web', env: 'GONGSHI_WEB_DIR' },
  trustProxy: { flag: '--trust-proxy', env: 'GONGSHI_TRUST_PROXY' },
} as const satisfies Record<string, OptionSpec>;

export const CONFIG_HELP = `Usage: npm start -- [options]

Options (each also settable by environment variable):
  --port <n>          PORT               HTTP port (default 8080; 0 picks a free one)
  --host <addr>       GONGSHI_HOST       address to listen on (default 0.0.0.0)
  --data <dir>        GONGSHI_DATA_DIR   data directory (default ./data)
  --public-url <url>  GONGSHI_PUBLIC_URL base URL devices and phones use (default http://localhost:<port>)
  --demo <auto|on|off>, --no-demo
                      GONGSHI_DEMO       seed the demo town (default auto: only for a new data directory)
  --log-level <lvl>   GONGSHI_LOG_LEVEL  debug | info | warn | error | silent (default info)
  --web <dir>         GONGSHI_WEB_DIR    built web apps (default dist/web next to the controller)
  --trust-proxy <v>   GONGSHI_TRUST_PROXY reverse proxy whose X-Forwarded-For/-Proto to believe: off (default),
                      a hop count (1), or addresses/subnets/loopback, comma-separated (127.0.0.1, 10.0.0.0/8)
`;

/**
 * @example
 * const config = loadConfig(process.argv.slice(2), process.env, { cwd: process.cwd(), defaultWebDir });
 */
export function loadConfig(argv: readonly string[], env: Env, defaults: { cwd: string; defaultWebDir: string }): Config {
  const problems: string[] = [];
  const raw = readOptions(OPTIONS, argv, env, problems, { '--no-demo': { key: 'demo', value: 'off' } });

  const port = parsePort(raw.port ?? '8080', problems);
  const host = (raw.host ?? '0.0.0.0').trim();
  if (host === '') problems.push('host (--host / GONGSHI_HOST) must not be empty');

  const dataDirText = (raw.dataDir ?? './data').trim();
  if (dataDirText === '') problems.push('data directory (--data / GONGSHI_DATA_DIR) must not be empty');

  let publicUrl: string | null = null;
  if (raw.publicUrl !== undefined && raw.publicUrl.trim() !== '') {
    try {
      const url = new URL(raw.publicUrl.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      publicUrl = url.href.replace(/\/+$/, '');
    } catch {
      problems.push(
        `public URL (--public-url / GONGSHI_PUBLIC_URL) must be an http(s) URL such as http://192.168.1.10:8080, got ${JSON.stringify(raw.publicUrl)}`,
      );
    }
  }

  const demoText = (raw.demo ?? 'auto').trim().toLowerCase();
  const demo = ({ auto: 'auto', on: 'on', true: 'on', '1': 'on', off: 'off', false: 'off', '0': 'off' } as const)[demoText];
  if (demo === undefined) problems.push(`demo (--demo / GONGSHI_DEMO) must be auto, on or off, got ${JSON.stringify(raw.demo)}`);

  const logLevelText = (raw.logLevel ?? 'info').trim().toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === logLevelText);
  if (logLevel === undefined)
    problems.push(
      `log level (--log-level / GONGSHI_LOG_LEVEL) must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw.logLevel)}`,
    );

  const trustProxy = parseTrustProxy(raw.trustProxy ?? 'off', problems);

  if (problems.length > 0 || port === undefined || demo === undefined || logLevel === undefined || trustProxy === undefined)
    throw new ConfigError(problems);
  return Object.freeze({
    host,
    port,
    dataDir: path.resolve(defaults.cwd, dataDirText),
    publicUrl,
    demo,
    logLevel,
    webDir: path.resolve(defaults.cwd, raw.webDir ?? defaults.defaultWebDir),
    trustProxy,
  });
}

/** The address ranges express (proxy-addr) knows by name. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `off`, a hop count from 1 to 10, or a comma-separated list of addresses, CIDR subnets and range names.
 * `true` (trust every hop) is refused: anyone could then claim any address and dodge the sign-in throttle.
 */
function parseTrustProxy(text: string, problems: string[]): TrustProxy | undefined {
  const trimmed = text.trim().toLowerCase();
  if (['off', 'false', 'no', 'none'].includes(trimmed)) return false;
  const problem = (why: string): undefined => {
    problems.push(`trust proxy (--trust-proxy / GONGSHI_TRUST_PROXY) ${why}, got ${JSON.stringify(text)}`);
    return undefined;
  };
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops >= 1 && hops <= 10 ? hops : problem('as a hop count must be from 1 to 10');
  }
  if (['true', 'on', 'yes', 'all'].includes(trimmed))
    return problem('must name the proxy (e.g. loopback or 10.0.0.2) or count its hops, not trust everyone');
  const entries = trimmed.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !PROXY_RANGE_NAMES.has(e) && !isAddressOrSubnet(e));
  if (bad.length > 0)
    return problem(`must be off, a hop count, or addresses/subnets/loopback/linklocal/uniquelocal; not understood: ${bad.join(', ')}`);
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

function parsePort(text: string, problems: string[]): number | undefined {
  const trimmed = text.trim();
  const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push(`port (--port / PORT) must be a whole number from 0 to 65535, got ${JSON.stringify(text)}`);
    return undefined;
  }
  return port;
}

/** The configuration of this process: its command line and environment. */
export function loadProcessConfig(defaults: { defaultWebDir: string }): Config {
  return loadConfig(process.argv.slice(2), process.env, { cwd: process.cwd(), defaultWebDir: defaults.defaultWebDir });
}
