/**
 * The address QR codes, kiosk links and pairing links carry. Without
 * `--public-url` it is the listening address, http://localhost:<port> when the
 * controller listens on every interface: fine on the controller's own
 * machine, useless to a villager's phone. When a paired kiosk connects from
 * another machine while the address is a loopback one, this says so loudly
 * (log and the admin's devices page, with the option to set) and, where it is
 * safe, takes the address that kiosk used: only when the controller is not
 * behind a proxy and the kiosk reached it at one of this machine's own
 * interface addresses (so a forged Host header cannot point the QR codes
 * elsewhere).
 */
import { networkInterfaces } from 'node:os';
import type { Logger } from './logger.js';
import type { PublicUrlCheck } from './protocol/index.js';
import { isLoopback } from './realtime/address.js';

export interface PublicUrl {
  /** The base URL in use now, without a trailing slash. */
  url(): string;
  /** The server listens on `port`: the default address is known from now on; warns when it is a loopback one. */
  listening(port: number): void;
  /** A paired kiosk connected from `address`, having reached the controller at `host` (its Host header). */
  kioskConnected(kiosk: { deviceId: string; address: string; host: string | undefined }): void;
  check(): PublicUrlCheck;
}

export interface PublicUrlDeps {
  /** `--public-url`, or null. */
  configured: string | null;
  /** The address the controller listens on (`--host`). */
  host: string;
  /** Whether a reverse proxy stands in front (`--trust-proxy`): then the Host a kiosk used is the proxy's business. */
  behindProxy: boolean;
  logger: Logger;
  /** This machine's own addresses (default: its network interfaces). */
  ownAddresses?: () => readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/** Whether `url`'s host is this machine only (localhost, 127.x, ::1). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || isLoopback(host);
  } catch {
    return false;
  }
}

const interfaceAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.toLowerCase());

/** Host header → hostname and port; null when it is not host[:port]. */
function splitHost(host: string): { hostname: string; port: string } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match?.[1]) return null;
  return { hostname: match[1].toLowerCase(), port: match[2] ?? '' };
}

export function createPublicUrl(deps: PublicUrlDeps): PublicUrl {
  const ownAddresses = deps.ownAddresses ?? interfaceAddresses;
  let fallback = '';
  let listenPort = 0;
  /** A LAN address of this machine with the port, as an example of what to set. */
  const lanExample = (): string | null => {
    const address = ownAddresses().find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !isLoopback(a));
    return address ? `http://${address}:${listenPort}` : null;
  };
  let derived: string | null = null;
  const remote = new Map<string, { deviceId: string; address: string; host: string | null; at: number }>();
  const url = (): string => deps.configured ?? derived ?? fallback;
  const option = (value: string): string => `--public-url ${value}  (或环境变量 GONGSHI_PUBLIC_URL=${value})`;

  return {
    url,
    listening(port) {
      const shown = deps.host === '0.0.0.0' || deps.host === '::' ? 'localhost' : deps.host.includes(':') ? `[${deps.host}]` : deps.host;
      fallback = `http://${shown}:${port}`;
      listenPort = port;
      // Listening on loopback only, nobody else can reach the controller anyway.
      if (!isLoopbackUrl(url()) || isLoopbackUrl(`http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}`)) return;
      deps.logger.warn(
        `公开地址是 ${url()}：其他电脑上的触摸屏和村民的手机打不开二维码里的这个地址。请用 ${option(
          lanExample() ?? `http://<本机局域网地址>:${port}`,
        )} 启动。The public URL is ${url()}, a loopback address: QR codes and kiosk links will not open on other machines or phones. Start with --public-url http://<this machine's LAN address>:${port}.`,
      );
    },
    kioskConnected({ deviceId, address, host }) {
      if (deps.configured !== null && !isLoopbackUrl(deps.configured)) return;
      if (isLoopback(address) || address === '') return;
      const first = !remote.has(deviceId);
      remote.set(deviceId, { deviceId, address, host: host ?? null, at: Date.now() });
      const parsed = host ? splitHost(host) : null;
      const bare = parsed?.hostname.replace(/^\[|\]$/g, '') ?? '';
      const safe =
        deps.configured === null &&
        !deps.behindProxy &&
        parsed !== null &&
        !isLoopback(bare) &&
        ownAddresses().includes(bare) &&
        derived === null;
      if (safe) {
        derived = `http://${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
        deps.logger.warn(
          `触摸屏 ${deviceId} 从 ${address} 通过 ${derived} 连接：二维码和触摸屏链接改用 ${derived}。请用 ${option(derived)} 固定这个地址。A kiosk reached the controller at ${derived}; QR codes now use it. Set --public-url ${derived} to keep it.`,
        );
        return;
      }
      if (first && isLoopbackUrl(url()))
        deps.logger.warn(
          `触摸屏 ${deviceId} 从其他电脑（${address}）连接，但公开地址仍是 ${url()}：村民手机扫二维码打不开。请用 ${option('http://<本机局域网地址>:<端口>')} 启动。A kiosk connected from ${address} while the public URL is ${url()}: set --public-url.`,
        );
    },
    check() {
      const current = url();
      const kiosks = [...remote.values()].sort((a, b) => b.at - a.at);
      const loopback = isLoopbackUrl(current);
      // Never the Host a kiosk sent (anyone can send any): the address taken, or one of this machine's own.
      const suggested = derived ?? lanExample();
      return {
        url: current,
        source: deps.configured !== null ? 'configured' : derived !== null ? 'derived' : 'default',
        loopback,
        remoteKiosks: kiosks.slice(0, 5).map((k) => ({ deviceId: k.deviceId, address: k.address })),
        option: loopback || derived !== null ? `--public-url ${suggested ?? `http://<本机局域网地址>:${listenPort}`}` : null,
      };
    },
  };
}
