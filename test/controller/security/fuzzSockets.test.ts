/**
 * Hostile input on every client→server socket event of every namespace,
 * enumerated from the access table (realtime/access.ts), plus undeclared
 * event names and hostile handshakes. Packets are written raw onto the
 * engine.io connection, so that malformed JSON, 10,000-deep nesting and lone
 * surrogates reach the controller exactly as an attacker would send them.
 * Every packet gets a clear Ack refusal (or, for a packet that is not even
 * socket.io, a disconnect); the controller stays up, and a refusal changes
 * neither state.json nor the ledger.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_NAMESPACE, KIOSK_NAMESPACE, NODE_NAMESPACE, type PairedDevice, type Village } from '../../../controller/protocol/index.js';
import { SOCKET_EVENT_RULES } from '../../../controller/realtime/access.js';
import {
  ApiClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  connectNode,
  data,
  pairDevice,
  initialPassword,
  nextEvent,
  startController,
} from '../../helpers/controller.js';
import {
  EDGE_CHARACTERS,
  KNOWN_KEYS,
  edgeString,
  fuzzSeed,
  hostileObject,
  hostileValue,
  encodeSegment,
  prototypePolluted,
  refusalProblems,
  snapshot,
} from './fuzzKit.js';

const RUNS_PER_EVENT = Number(process.env.FUZZ_RUNS ?? 40);
const seed = fuzzSeed('sockets');

let t: TestController;
let admin: ApiClient;
let kioskAuth: { deviceId: string; token: string };
let nodeAuth: { deviceId: string; token: string };
/** The controller's clock runs ahead by this much: each packet moves it on, so the kiosk rate limits refill and never mask a handler. */
let shift = 0;
const sockets = new Map<string, Socket>();

beforeAll(async () => {
  t = await startController({ args: ['--demo', 'off'], clock: { now: () => Date.now() + shift } });
  admin = new ApiClient(t.url);
  await admin.login('admin', await initialPassword(t.dataDir));
  const village = data((await admin.post<Village>('/api/villages', { name: '模糊测试村' })).body);
  const paired = data((await admin.post<PairedDevice>('/api/devices', { name: '模糊测试屏', villageId: village.id, kind: 'kiosk' })).body);
  kioskAuth = { deviceId: paired.device.id, token: paired.token };
  nodeAuth = await pairDevice(admin, { villageId: village.id, name: '模糊测试节点', kind: 'node' });
}, 120_000);
afterAll(async () => {
  for (const s of sockets.values()) s.disconnect();
  await t?.dispose();
});

/** state.json without the devices' last-seen times (saved on a timer, whatever the packets do) and the ledger's size. */
const quietSnapshot = async (): Promise<string> => (await snapshot(t.dataDir)).replace(/"lastSeenAt":\s*(null|\d+)/g, '"lastSeenAt":_');

/** The type of every ledger record so far, oldest first. */
async function ledgerTypes(): Promise<string[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const types: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n'))
      if (line) types.push((JSON.parse(line) as { type: string }).type);
  }
  return types;
}

const ledgerTypesAdded = async (before: readonly string[]): Promise<string[]> => (await ledgerTypes()).slice(before.length);

/** Waits until nothing more is being written (a successful event may append to the ledger after it answers). */
async function settle(): Promise<void> {
  let last = await quietSnapshot();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = await quietSnapshot();
    if (now === last) return;
    last = now;
  }
}

/** A connected socket for the namespace (reconnecting one the controller dropped). */
async function socketFor(nsp: string): Promise<Socket> {
  const existing = sockets.get(nsp);
  if (existing?.connected) return existing;
  existing?.disconnect();
  shift += 20_000; // let the handshake throttle refill after hostile handshakes
  const s = (nsp === KIOSK_NAMESPACE
    ? connectKiosk(t.url, kioskAuth)
    : nsp === NODE_NAMESPACE
      ? connectNode(t.url, nodeAuth)
      : connectAdmin(t.url, admin.cookie)) as unknown as Socket;
  sockets.set(nsp, s);
  await nextEvent(s as never, 'server:hello', () => true, 15_000);
  await settle();
  return s;
}

interface EnginePacket {
  type: string;
  data?: unknown;
}
interface RawEngine {
  write(data: string): void;
  on(event: 'packet', listener: (p: EnginePacket) => void): void;
  off(event: 'packet', listener: (p: EnginePacket) => void): void;
}

let nextId = 1000;

/** Writes `2<nsp>,<id><argsText>` (a socket.io EVENT with an ack id) and waits for the ack or a disconnect. */
async function sendRaw(nsp: string, argsText: string): Promise<{ ack: unknown[] } | { disconnected: string }> {
  const socket = await socketFor(nsp);
  const engine = (socket.io as unknown as { engine: RawEngine }).engine;
  const id = nextId++;
  const prefix = `3${nsp},${id}`;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      engine.off('packet', onPacket);
      socket.off('disconnect', onDisconnect);
    };
    const onPacket = (p: EnginePacket): void => {
      if (p.type !== 'message' || typeof p.data !== 'string' || !p.data.startsWith(prefix)) return;
      done();
      resolve({ ack: JSON.parse(p.data.slice(prefix.length)) as unknown[] });
    };
    const onDisconnect = (reason: string): void => {
      done();
      resolve({ disconnected: reason });
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no answer to ${prefix}${argsText.slice(0, 80)} within 15 s`));
    }, 15_000);
    engine.on('packet', onPacket);
    socket.once('disconnect', onDisconnect);
    engine.write(`2${nsp},${id}${argsText}`);
  });
}

/** Sends one packet and returns what is wrong with the outcome. */
async function probe(nsp: string, label: string, argsText: string): Promise<string[]> {
  shift += 1_000;
  await socketFor(nsp);
  const before = await quietSnapshot();
  const beforeLedger = await ledgerTypes();
  const outcome = await sendRaw(nsp, argsText);
  const where = `${nsp} ${label}: ${argsText.slice(0, 100)}`;
  const problems: string[] = [];
  if ('disconnected' in outcome) {
    // Only a packet that is not valid socket.io (or names a reserved event) may cost the connection.
    if (!['parse error', 'io server disconnect', 'transport close'].includes(outcome.disconnected))
      problems.push(`${where}: disconnected (${outcome.disconnected})`);
    if ((await fetch(`${t.url}/api/health`)).status !== 200) problems.push(`${where}: the controller stopped answering`);
    // A dropped kiosk is offline, and the ledger says so; nothing else may change.
    await settle();
    const changed = await ledgerTypesAdded(beforeLedger);
    if (changed.some((type) => type !== 'device.offline' && type !== 'device.online'))
      problems.push(`${where}: dropped, and the ledger gained ${changed.join(', ')}`);
    return problems;
  }
  const [ack] = outcome.ack as [{ ok?: unknown } | undefined];
  if (ack?.ok === true) {
    await settle();
    return problems;
  }
  problems.push(...refusalProblems(ack).map((p) => `${where}: ${p}`));
  if ((await quietSnapshot()) !== before) problems.push(`${where}: refused, but state or ledger changed`);
  return problems;
}

const nested = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** The fixed corpus of argument lists (as raw JSON text after the event name). */
const CORPUS_ARGS: { label: string; args: (event: string) => string }[] = [
  { label: 'no payload', args: (e) => `[${JSON.stringify(e)}]` },
  { label: 'null', args: (e) => `[${JSON.stringify(e)},null]` },
  { label: 'a number', args: (e) => `[${JSON.stringify(e)},42]` },
  { label: 'a string', args: (e) => `[${JSON.stringify(e)},"x"]` },
  { label: 'an array', args: (e) => `[${JSON.stringify(e)},[1,2,3]]` },
  { label: '10,000 nested objects', args: (e) => `[${JSON.stringify(e)},${nested(10_000)}]` },
  { label: '10,000 nested arrays', args: (e) => `[${JSON.stringify(e)},${'['.repeat(10_000)}${']'.repeat(10_000)}]` },
  { label: 'huge array', args: (e) => `[${JSON.stringify(e)},{"receipts":[${'{},'.repeat(20_000)}{}]}]` },
  { label: 'long string', args: (e) => `[${JSON.stringify(e)},{"build":"${'x'.repeat(200_000)}"}]` },
  {
    label: 'prototype pollution',
    args: (e) => `[${JSON.stringify(e)},{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}]`,
  },
  { label: 'lone surrogates and NUL', args: (e) => `[${JSON.stringify(e)},{"build":"\\ud800\\u0000","receipts":["\\udfff"]}]` },
  {
    label: 'unicode edges in every known key',
    args: (e) => `[${JSON.stringify(e)},${JSON.stringify(Object.fromEntries(KNOWN_KEYS.map((k) => [k, EDGE_CHARACTERS.join('')])))}]`,
  },
  { label: 'extra arguments', args: (e) => `[${JSON.stringify(e)},{},{},{},"x"]` },
];

/** Packets that are not valid socket.io at all: the controller may drop the connection, and must not fall over. */
const BROKEN_PACKETS = ['["display:report",', '[]', '[123,{}]', '[null]', '[{}]', '{"a":1}', '"x"', `[${nested(10_000)}]`];

const events = Object.entries(SOCKET_EVENT_RULES).flatMap(([nsp, rules]) => Object.keys(rules).map((event) => ({ nsp, event })));
const UNDECLARED = ['notices:delete', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'connect', 'disconnect', 'error', ''];

describe('every socket event under hostile input', () => {
  it('enumerates the events of every namespace', () => {
    expect(new Set(events.map((e) => e.nsp))).toEqual(new Set([KIOSK_NAMESPACE, NODE_NAMESPACE, ADMIN_NAMESPACE]));
  });

  it('answers the fixed corpus, undeclared events and broken packets without harm', async () => {
    const problems: string[] = [];
    for (const nsp of [KIOSK_NAMESPACE, NODE_NAMESPACE, ADMIN_NAMESPACE]) {
      const names = [...events.filter((e) => e.nsp === nsp).map((e) => e.event), ...UNDECLARED];
      for (const event of names)
        for (const { label, args } of CORPUS_ARGS) problems.push(...(await probe(nsp, `${event} ${label}`, args(event))));
      for (const text of BROKEN_PACKETS) problems.push(...(await probe(nsp, 'broken packet', text)));
    }
    expect(problems).toEqual([]);
    expect(prototypePolluted()).toEqual([]);
  });

  it(
    'answers random payloads on every declared event and random event names (fast-check)',
    async () => {
      const targets = [
        ...events,
        { nsp: KIOSK_NAMESPACE, event: null },
        { nsp: NODE_NAMESPACE, event: null },
        { nsp: ADMIN_NAMESPACE, event: null },
      ];
      for (const [index, { nsp, event }] of targets.entries()) {
        await fc.assert(
          fc.asyncProperty(
            event === null ? edgeString(30) : fc.constant(event),
            fc.array(fc.oneof(hostileObject, hostileValue), { maxLength: 3 }),
            async (name, args) => {
              const problems = await probe(nsp, `${name} random`, JSON.stringify([name, ...args]));
              if (problems.length > 0) throw new Error(problems.join('\n'));
            },
          ),
          { seed: seed + index, numRuns: RUNS_PER_EVENT, endOnFailure: true },
        );
      }
      expect(prototypePolluted()).toEqual([]);
    },
    Math.max(120_000, RUNS_PER_EVENT * 2_000),
  );

  it('events sent without an acknowledgement are ignored, and the socket keeps working', async () => {
    for (const { nsp, event } of events) {
      const s = await socketFor(nsp);
      s.emit(event, { nope: true });
      s.emit(event);
      shift += 1_000;
      const answer = (await s.timeout(10_000).emitWithAck(event, { nope: true })) as { ok: boolean; error?: string };
      expect(answer, `${nsp} ${event}`).toMatchObject({ ok: false, error: 'invalid_payload' });
    }
  });

  it('refuses hostile handshakes with a clear reason and changes nothing', async () => {
    const before = await quietSnapshot();
    await fc.assert(
      // socket.io's handshake carries an object (a non-object is not socket.io at all and its parser drops the connection).
      fc.asyncProperty(hostileObject, edgeString(60), async (auth, cookie) => {
        shift += 20_000;
        const kiosk = connectKiosk(t.url, auth as never);
        const node = connectNode(t.url, auth as never);
        const staff = connectAdmin(t.url, `gongshi_session=${encodeSegment(cookie)}`);
        try {
          for (const s of [kiosk, node, staff]) {
            const [error] = await nextEvent<[Error]>(s, 'connect_error', () => true, 10_000);
            expect(error.message).toMatch(/^(invalid_payload|unauthorized|rate_limited): \S/);
          }
        } finally {
          kiosk.disconnect();
          node.disconnect();
          staff.disconnect();
        }
      }),
      { seed, numRuns: RUNS_PER_EVENT, endOnFailure: true },
    );
    expect(await quietSnapshot()).toBe(before);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});
