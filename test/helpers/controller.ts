/**
 * Starts a real controller on port 0 with a temporary data directory, and
 * talks to it with real HTTP and real socket.io clients.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { hashPassword } from '../../controller/auth/passwords.js';
import type { Clock } from '../../controller/clock.js';
import { loadConfig } from '../../controller/config.js';
import { type LogEntry, createLogger } from '../../controller/logger.js';
import type { ControllerTuning } from '../../controller/main.js';
import { DEMO_ACCOUNTS_FILE, INITIAL_PASSWORD_FILE, type RunningController, createController, packageRoot } from '../../controller/main.js';
import type {
  Ack,
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  DeviceView,
  KioskClientToServerEvents,
  KioskServerToClientEvents,
  NodeClientToServerEvents,
  NodeServerToClientEvents,
  Notice,
  PairingClaimResult,
  PairingOffer,
} from '../../controller/protocol/index.js';
import type { State } from '../../controller/store/state.js';

export interface TestController {
  controller: RunningController;
  dataDir: string;
  url: string;
  logs: LogEntry[];
  /** Stops the controller; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Stops and removes the data directory. */
  dispose(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'gongshi-test-'));
}

/**
 * The scrypt cost (log2 N) of the hashes test controllers write: 2^12, about a hundredth of production's 2^17. The
 * suite starts hundreds of controllers, each hashing its first-start passwords, and signs in over a thousand times;
 * at the real cost that is minutes of CPU. Hashing and checking are the same code; a test of the production cost
 * passes `tuning: { passwordCost: PASSWORD_COST }`.
 */
export const TEST_PASSWORD_COST = 12;

export async function startController(
  options: { dataDir?: string; args?: string[]; clock?: Clock; tuning?: ControllerTuning } = {},
): Promise<TestController> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const config = loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'debug', ...(options.args ?? [])],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
  const logs: LogEntry[] = [];
  const controller = await createController(config, {
    logger: createLogger({ level: 'debug', sink: (e) => logs.push(e) }),
    ...(options.clock && { clock: options.clock }),
    tuning: { passwordCost: TEST_PASSWORD_COST, ...options.tuning },
  });
  return {
    controller,
    dataDir,
    url: controller.url,
    logs,
    stop: () => controller.stop(),
    async dispose() {
      await controller.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a stopped controller again on the same port and data directory, as after a power cut: clients reconnect to the same address. */
export async function restartController(t: TestController): Promise<TestController> {
  return startController({ dataDir: t.dataDir, args: ['--port', String(t.controller.port)] });
}

/**
 * Gives `username` a new password hashed at a low scrypt cost, in a stopped controller's data directory:
 * for tests that sign in dozens of times, where each check at the real cost takes seconds on a shared machine.
 * The checks themselves are the same code; only the recorded cost differs.
 */
export async function cheapenPassword(dataDir: string, username: string, password: string): Promise<void> {
  const file = path.join(dataDir, 'state.json');
  const state = JSON.parse(await readFile(file, 'utf8')) as State;
  const user = state.users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  user.passwordHash = await hashPassword(password, 10);
  user.mustChangePassword = false;
  await writeFile(file, JSON.stringify(state));
}

export async function initialPassword(dataDir: string): Promise<string> {
  const text = await readFile(path.join(dataDir, INITIAL_PASSWORD_FILE), 'utf8');
  const match = /^password: (.+)$/m.exec(text);
  if (!match?.[1]) throw new Error('no password in the initial password file');
  return match[1];
}

/** The generated password of a demo account (`editor` or `reviewer`). */
export async function demoPassword(dataDir: string, username: 'editor' | 'reviewer'): Promise<string> {
  const text = await readFile(path.join(dataDir, DEMO_ACCOUNTS_FILE), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${username} `));
  if (!line) throw new Error(`no demo account ${username}`);
  return line.split(' ')[1] ?? '';
}

/** Signed-in clients for the first admin and the demo editor and reviewer. */
export async function staff(t: TestController): Promise<{ admin: ApiClient; editor: ApiClient; reviewer: ApiClient }> {
  const admin = new ApiClient(t.url);
  const editor = new ApiClient(t.url);
  const reviewer = new ApiClient(t.url);
  await Promise.all([
    admin.login('admin', await initialPassword(t.dataDir)),
    editor.login('editor', await demoPassword(t.dataDir, 'editor')),
    reviewer.login('reviewer', await demoPassword(t.dataDir, 'reviewer')),
  ]);
  return { admin, editor, reviewer };
}

export const ATTESTATION = {
  noStateSecret: true,
  noCommercialSecret: true,
  noUnmaskedPersonalData: true,
  checkedAgainstSource: true,
  opinion: '同意发布',
} as const;

/** Writes, submits and approves a notice for these villages, posted for three calendar days; resolves with it approved. */
export async function publishNotice(s: { editor: ApiClient; reviewer: ApiClient }, villageIds: string[], title: string): Promise<Notice> {
  const draft = data(
    (
      await s.editor.post<Notice>('/api/notices', {
        title,
        body: `${title}。公示期三天。`,
        target: { scope: 'villages', villageIds },
        posting: { rule: { kind: 'calendar_days', days: 3 } },
      })
    ).body,
  );
  data((await s.editor.post(`/api/notices/${draft.id}/submit`)).body);
  return data((await s.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
}

/** A tiny HTTP client that keeps the session cookie, like a browser would. */
export class ApiClient {
  /** The session cookie (`name=value`). */
  cookie = '';
  /** The client cookie a browser keeps across sign-ins (controller/auth/signInGuard.ts). */
  clientCookie = '';
  constructor(
    readonly baseUrl: string,
    /** Sent with every request, e.g. `x-forwarded-for` to a controller that trusts the loopback proxy. */
    readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Ack<T> }> {
    const cookie = [this.cookie, this.clientCookie].filter(Boolean).join('; ');
    const init: RequestInit = { method, headers: { ...this.defaultHeaders, ...(cookie ? { cookie } : {}), ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, init);
    for (const setCookie of res.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0] ?? '';
      if (/^(__Host-)?gongshi_client=/.test(pair)) this.clientCookie = pair;
      else this.cookie = pair;
    }
    return { status: res.status, body: (await res.json()) as Ack<T> };
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}) {
    return this.request<T>('POST', path, body);
  }

  async login(username: string, password: string): Promise<void> {
    const res = await this.post('/api/auth/login', { username, password });
    if (!res.body.ok) throw new Error(`login failed: ${res.body.message}`);
  }
}

export function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error}: ${ack.message}`);
  return ack.data;
}

/** Pairs a new kiosk (or village node) as staff and the device would (offer, claim, pair by code, claim again); its id and token. */
export async function pairDevice(
  admin: ApiClient,
  fields: { villageId: string; name: string; location?: string; kind?: 'kiosk' | 'node' },
): Promise<{ deviceId: string; token: string }> {
  const offer = data((await admin.post<PairingOffer>('/api/pairing')).body);
  if (!/^\d{6}$/.test(offer.code)) throw new Error(`the pairing code ${offer.code} is not six digits`);
  const pending = data((await admin.post<PairingClaimResult>('/api/pairing/claim', { claim: offer.claim })).body);
  if (pending.status !== 'pending') throw new Error(`a new pairing offer is ${pending.status}, not pending`);
  const device = data((await admin.post<DeviceView>('/api/devices/pair', { code: offer.code, ...fields })).body);
  const claimed = data((await admin.post<PairingClaimResult>('/api/pairing/claim', { claim: offer.claim })).body);
  if (claimed.status !== 'paired' || claimed.deviceId !== device.id) throw new Error('the pairing did not complete');
  return { deviceId: claimed.deviceId, token: claimed.token };
}

export type KioskClient = Socket<KioskServerToClientEvents, KioskClientToServerEvents>;
export type AdminClient = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

export function connectKiosk(url: string, auth: { deviceId: string; token?: string }): KioskClient {
  return io(`${url}/kiosk`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

export type NodeClient = Socket<NodeServerToClientEvents, NodeClientToServerEvents>;

/** A village node's socket (`/node`), as the node program opens it, without reconnection. */
export function connectNode(url: string, auth: { deviceId: string; token?: string }): NodeClient {
  return io(`${url}/node`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

export function connectAdmin(url: string, cookie: string): AdminClient {
  return io(`${url}/admin`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** Resolves with the arguments of the next `event` that satisfies `accept`. */
export function nextEvent<A extends unknown[]>(
  typed: KioskClient | AdminClient | NodeClient,
  event: string,
  accept: (...args: A) => boolean = () => true,
  timeoutMs = 5000,
): Promise<A> {
  // Reserved events such as connect_error are not in the typed maps; listen untyped and let the caller name the shape.
  const socket = typed as unknown as Socket;
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!accept(...(args as A))) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, listener);
  });
}
