/**
 * The signs' ports and drivers, and how a change of profiles is applied: only
 * the signs whose profile changed are restarted, and the other signs sharing
 * a port (RS-485 multi-drop) only when that port's settings changed — a new
 * baud rate or parity needs the port reopened, a new night brightness does not.
 *
 * A port is a device path (serialport), `tcp://host:port` (a BX network card,
 * a serial device server or a DTU; transport/tcp.ts) or an in-process emulator;
 * the link and the drivers on it are the same for all three, and what differs
 * by protocol comes from the registry (protocols.ts).
 */
import type { Logger } from '../logger.js';
import type { SignProfile } from '../protocol/signProfile.js';
import type { GlyphSource } from './emulator/font.js';
import { createEmulatorBinding } from './emulator/memoryBinding.js';
import { SignEmulator } from './emulator/signEmulator.js';
import { type LinkTuning, type SerialBinding, type SerialLink, createSerialLink } from './link.js';
import { type LedDriver, ledProtocol } from './protocols.js';
import { createTcpBinding, isTcpAddress } from './transport/tcp.js';

/** A health ping a minute; the content re-asserted every five minutes (0.5 s of a 9600-baud line for 200 hanzi). */
export const DEFAULT_HEALTH_MS = 60_000;
export const DEFAULT_CONTENT_CHECK_MS = 300_000;

/** One open (or opening) port and the emulators behind it when it is emulated. */
export interface PortEntry {
  path: string;
  /** What the port was opened with: a change means reopening it, and every sign on it restarts. */
  key: string;
  link: SerialLink;
  emulators: Map<string, SignEmulator>;
}

export interface FleetDeps {
  logger: Logger;
  now: () => number;
  binding: SerialBinding;
  tuning?: Partial<LinkTuning>;
  /** How a link checks that its device exists (fs.existsSync by default; the emulated ports always exist). */
  pathExists?: (path: string) => boolean;
  healthIntervalMs?: number;
  /** BX: how often the content is re-asserted, bounding how long a reboot between pings leaves a sign blank. */
  contentCheckMs?: number;
  eqRefreshMs?: number;
  font: GlyphSource | null;
  /** TCP ports: how long a connection may take (3 s by default, as Onbon's reference client). */
  tcpConnectTimeoutMs?: number;
}

/** A TCP line with nothing heard for this many failed requests in a row is reconnected: its socket may be dead without a FIN. */
export const TCP_REOPEN_AFTER_SILENT_FAILURES = 2;

/** The port settings a profile needs; an emulated sign's geometry is part of its port, since its emulator is. */
export function portKey(profile: SignProfile): string {
  const emulated = profile.emulated
    ? {
        protocol: profile.protocol,
        address: profile.address,
        w: profile.widthPx,
        h: profile.heightPx,
        a306: [profile.a306Layout, profile.xUnit, profile.yUnit],
      }
    : null;
  return JSON.stringify({ ...profile.port, family: ledProtocol(profile.protocol).family, emulated });
}

const sameProfile = (a: SignProfile, b: SignProfile): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Which ports to reopen and which signs to restart when the profiles become
 * `desired`: a port whose first wanted profile asks for other settings (or
 * that nobody wants any more) is reopened with all its signs; otherwise only
 * signs whose own profile changed or went away. Pure.
 */
export function planChange(
  ports: ReadonlyMap<string, Pick<PortEntry, 'key'>>,
  running: readonly SignProfile[],
  desired: readonly SignProfile[],
): { reopen: Set<string>; restart: Set<string> } {
  const reopen = new Set<string>();
  for (const [path, entry] of ports) {
    const first = desired.find((p) => p.port.path === path);
    if (!first || portKey(first) !== entry.key) reopen.add(path);
  }
  const byId = new Map(desired.map((p) => [p.id, p]));
  const restart = new Set<string>();
  for (const profile of running) {
    const wanted = byId.get(profile.id);
    if (!wanted || reopen.has(profile.port.path) || !sameProfile(wanted, profile)) restart.add(profile.id);
  }
  // An emulated sign's emulator is its port: restarting the sign means opening that port anew.
  for (const profile of running)
    if (profile.emulated && restart.has(profile.id) && ports.has(profile.port.path)) reopen.add(profile.port.path);
  return { reopen, restart };
}

export type FleetDriver = LedDriver;

/**
 * The driver for `profile`, on its port's link (opened here if the port is
 * new; the caller starts it). Null when the port is already open with other
 * settings: the profile contradicts the one that opened it.
 */
export function driverFor(
  profile: SignProfile,
  ports: Map<string, PortEntry>,
  deps: FleetDeps,
): { driver: FleetDriver; emulator: SignEmulator | null; port: PortEntry; opened: boolean } | null {
  const { logger, now } = deps;
  let port = ports.get(profile.port.path);
  if (port && port.key !== portKey(profile)) {
    logger.error(`sign ${profile.id}: port ${profile.port.path} is already open with other settings; fix the profile`);
    return null;
  }
  if (port && profile.emulated) {
    logger.error(`sign ${profile.id}: emulated port ${profile.port.path} already has a sign`);
    return null;
  }
  let opened = false;
  let emulator: SignEmulator | null = null;
  if (!port) {
    const emulators = new Map<string, SignEmulator>();
    if (profile.emulated) {
      emulator = new SignEmulator({
        protocol: profile.protocol,
        address: profile.address,
        width: profile.widthPx,
        height: profile.heightPx,
        a306: { layout: profile.a306Layout, xUnit: profile.xUnit, yUnit: profile.yUnit },
        font: deps.font,
      });
      emulators.set(profile.port.path, emulator);
    }
    port = { path: profile.port.path, key: portKey(profile), link: openLink(profile, emulators, deps), emulators };
    ports.set(port.path, port);
    opened = true;
  }
  const driver = ledProtocol(profile.protocol).createDriver({
    profile,
    link: port.link,
    logger: logger.child(profile.id),
    now,
    timings: {
      healthIntervalMs: deps.healthIntervalMs ?? DEFAULT_HEALTH_MS,
      contentCheckMs: deps.contentCheckMs ?? DEFAULT_CONTENT_CHECK_MS,
      refreshMs: deps.eqRefreshMs ?? 60_000,
    },
  });
  return { driver, emulator, port, opened };
}

/** The supervised link for the port `profile` names, on the transport its address asks for. */
function openLink(profile: SignProfile, emulators: Map<string, SignEmulator>, deps: FleetDeps): SerialLink {
  const protocol = ledProtocol(profile.protocol);
  const path = profile.port.path;
  const tcp = !profile.emulated && isTcpAddress(path);
  const binding = profile.emulated
    ? createEmulatorBinding(emulators)
    : tcp
      ? createTcpBinding(deps.tcpConnectTimeoutMs === undefined ? {} : { connectTimeoutMs: deps.tcpConnectTimeoutMs })
      : deps.binding;
  const pathExists = profile.emulated ? (p: string) => emulators.has(p) : tcp ? () => true : deps.pathExists;
  const tuning = { ...(tcp && { reopenAfterSilentFailures: TCP_REOPEN_AFTER_SILENT_FAILURES }), ...deps.tuning };
  return createSerialLink({
    settings: { ...profile.port },
    binding,
    logger: deps.logger.child(path.replace(/^\/dev\//, '').replace(/^tcp:\/\//, 'tcp-')),
    now: deps.now,
    tuning,
    ...(pathExists && { pathExists }),
    answers: protocol.answers,
    broadcastAddress: protocol.broadcastAddress,
  });
}
