/**
 * A village node as a real child process (`controller/node/main.ts`, as
 * `npm run node` runs it, or a test entry with an injected clock), a sign
 * emulator on the far end of a real pty pair, and what the node left in its
 * data directory (its outbox) to compare with the controller's ledger.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { expect } from 'vitest';
import { SignEmulator } from '../../controller/led/emulator/signEmulator.js';
import { packageRoot } from '../../controller/main.js';
import { createLogger } from '../../controller/logger.js';
import { type NodeTuning, type RunningNode, createNode } from '../../controller/node/node.js';
import type { NodeRecord, Notice } from '../../controller/protocol/index.js';
import { ATTESTATION, type ApiClient, data } from './controller.js';
import { type PtyPair, openPtyPair } from './pty.js';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the next pairing code it prints after `after` characters of output. */
  code(after?: number): Promise<string>;
  kill9(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
  /** With `clockShiftMs`: moves the node's clock to `Date.now() + shiftMs`; resolves once the node has it. */
  shiftClock(shiftMs: number): Promise<void>;
}

/** The node program with an injected clock (`Date.now() + shift`), moved by `shiftClock`. */
export const NODE_CLOCK_ENTRY = path.join(packageRoot(), 'test/helpers/nodeClockEntry.ts');

/**
 * Starts `entry` (the real node program by default) with `--controller url --data dataDir`; with `user`, as that
 * user (the tests run as root, whom the file system refuses nothing: a node's own service user is refused).
 */
export function startNodeProcess(
  url: string,
  dataDir: string,
  options: { entry?: string; args?: string[]; clockShiftMs?: number; user?: { uid: number; gid: number } } = {},
): NodeProcess {
  const shifted = options.clockShiftMs !== undefined;
  const entry = options.entry ?? (shifted ? NODE_CLOCK_ENTRY : path.join(packageRoot(), 'controller/node/main.ts'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, '--controller', url, '--data', dataDir, '--log-level', 'info', ...(options.args ?? [])],
    {
      stdio: shifted ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GONGSHI_TEST_CLOCK_SHIFT_MS: String(options.clockShiftMs ?? 0) },
      ...options.user,
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    child,
    output: () => out,
    code: (after = 0) =>
      new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /pairing-code (\d{6})/.exec(out.slice(after));
          if (match?.[1]) {
            clearInterval(timer);
            clearTimeout(limit);
            resolve(match[1]);
          }
        }, 50);
        const limit = setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`the node printed no pairing code within 30 s:\n${out}`));
        }, 30_000);
      }),
    kill9: () => stopWith('SIGKILL'),
    stop: () => stopWith('SIGTERM'),
    shiftClock: (shiftMs) =>
      new Promise<void>((resolve, reject) => {
        if (!shifted) return reject(new Error('start the node with clockShiftMs to move its clock'));
        // A stopped node has no clock to move: its next start takes the shift.
        if (!child.connected) return resolve();
        const onMessage = (m: unknown) => {
          if (typeof m === 'object' && m !== null && 'shifted' in m && m.shifted === shiftMs) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send({ shiftMs });
      }),
  };
}

/** Staff pair the node showing `code` as a village node of `villageId`; returns its device id. */
export async function pairAsNode(admin: ApiClient, code: string, villageId: string, name = '村级节点'): Promise<string> {
  return data((await admin.post<{ id: string }>('/api/devices/pair', { code, name, villageId, kind: 'node' })).body).id;
}

/**
 * The real node (`createNode`) in this process, paired by the code it prints as staff would pair it: for tests that
 * need its timings shortened (`tuning`: a sign's health ping every half second instead of a minute) or its signs'
 * state at hand. Resolves once it is paired and its uplink is connected.
 */
export async function startPairedNode(options: {
  url: string;
  dataDir: string;
  admin: ApiClient;
  villageId: string;
  name?: string;
  tuning?: NodeTuning;
}): Promise<{ node: RunningNode; nodeId: string }> {
  let code = '';
  const node = await createNode(
    { controller: options.url, dataDir: options.dataDir, build: 'test' },
    {
      logger: createLogger({ level: 'warn' }),
      print: (line) => (code = /pairing-code (\d{6})/.exec(line)?.[1] ?? code),
      ...(options.tuning && { tuning: options.tuning }),
    },
  );
  try {
    await poll(() => code !== '', 'the node printed no pairing code');
    const nodeId = await pairAsNode(options.admin, code, options.villageId, options.name);
    await node.paired;
    await poll(() => node.uplinkConnected(), 'the paired node never connected');
    return { node, nodeId };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

export interface PtySign {
  pair: PtyPair;
  emu: SignEmulator;
  close(): Promise<void>;
}

/** A BX sign emulator (address 1, 192×32) on the far end of a real pty pair; the node opens `pair.host`. */
export async function openPtySign(baudRate = 57600, now?: () => number): Promise<PtySign> {
  const pair = await openPtyPair();
  const emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32, baudRate, ...(now && { now }) });
  const end = new SerialPortStream({ binding: SerialPort.binding, path: pair.sign, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => end.open((e) => (e ? reject(e) : resolve())));
  emu.attach(end);
  return {
    pair,
    emu,
    async close() {
      emu.dispose();
      if (end.isOpen) await new Promise<void>((resolve) => end.close(() => resolve()));
      await pair.close();
    },
  };
}

/** Every record the node ever put in its outbox (before compaction), and the numbers the controller acknowledged. */
export async function nodeOutbox(dataDir: string): Promise<{ records: NodeRecord[]; acked: Set<number> }> {
  const read = (name: string) => readFile(path.join(dataDir, name), 'utf8').catch(() => '');
  const whole = (text: string) =>
    text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter(Boolean);
  const records = whole(await read('outbox.jsonl')).map((l) => JSON.parse(l) as NodeRecord);
  // Acknowledgement lines: `{"runs":[from,to,…]}` (older builds: an array of numbers).
  const acked = new Set(
    whole(await read('outbox-acked.jsonl')).flatMap((l) => {
      const line = JSON.parse(l) as number[] | { runs: number[] };
      if (Array.isArray(line)) return line;
      const seqs: number[] = [];
      for (let i = 0; i + 1 < line.runs.length; i += 2) for (let s = line.runs[i]!; s <= line.runs[i + 1]!; s++) seqs.push(s);
      return seqs;
    }),
  );
  return { records, acked };
}

/** Every ledger record of the controller in `dataDir`, oldest first. */
export async function ledgerRecords(dataDir: string): Promise<Record<string, unknown>[]> {
  const dir = path.join(dataDir, 'ledger');
  const lines: Record<string, unknown>[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n'))
      if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

/** Checks every 100 ms until `check` holds; then throws `failure` (a function: what holds at the time it gave up). */
export async function poll(check: () => Promise<boolean> | boolean, failure: string | (() => string), timeoutMs = 15_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (await check()) return;
  throw new Error(typeof failure === 'string' ? failure : failure());
}

/**
 * A village of its own for a node test (none of the demo town's village notices rotate on its signs), and with
 * `shortTurns` each notice on every screen for 5 s, so that a new one comes round soon. Returns its id.
 */
export async function nodeVillage(admin: ApiClient, name: string, options: { shortTurns?: boolean } = {}): Promise<string> {
  const villageId = data((await admin.post<{ id: string }>('/api/villages', { name })).body).id;
  if (options.shortTurns ?? true)
    data((await admin.request('PUT', '/api/settings/devices', { offlineAlertMinutes: 60, rotationBoundsSec: { min: 5, max: 5 } })).body);
  return villageId;
}

/** A notice for `villageId` with its LED text, drafted by the editor, submitted and approved by the reviewer. */
export async function publishToVillage(
  clients: { editor: ApiClient; reviewer: ApiClient },
  villageId: string,
  notice: { title: string; ledText: string; posting?: object },
): Promise<Notice> {
  const { title, ledText, posting } = notice;
  const body = { target: { scope: 'villages', villageIds: [villageId] }, title, body: `${title}。详情见村务公开栏。`, ledText };
  const draft = data((await clients.editor.post<Notice>('/api/notices', { ...body, ...(posting && { posting }) })).body);
  data((await clients.editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
  return data((await clients.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
}

/** Staff save a BX sign (address 1, 192×32, GB2312) on `port` behind the node `nodeId`, with `extra` fields; answers the response. */
export function saveNodeSign(
  admin: ApiClient,
  signId: string,
  sign: { name: string; villageId: string; nodeId: string; port: { path: string; baudRate: number }; extra?: object },
) {
  return admin.request('PUT', `/api/signs/${signId}/profile`, {
    name: sign.name,
    villageId: sign.villageId,
    protocol: 'bx5k',
    address: 1,
    widthPx: 192,
    heightPx: 32,
    charset: 'gb2312',
    port: sign.port,
    ...sign.extra,
    node: sign.nodeId,
  });
}

/** Waits until the node in `nodeDir` has kept some records and the controller has acknowledged every one. */
export async function allAcknowledged(nodeDir: string, output: () => string, timeoutMs: number): Promise<void> {
  await poll(
    async () => {
      const { records, acked } = await nodeOutbox(nodeDir);
      return records.length > 0 && records.every((r) => acked.has(r.seq));
    },
    () => `the node never got every record acknowledged:\n${output()}`,
    timeoutMs,
  );
}

/** A fresh data directory for a node (remove it with `rm(dir, { recursive: true, force: true })`). */
/** After a node test: the node killed, the controller and its data gone, the pty sign closed, the node's data dir removed. */
export async function closeNodeRig(rig: {
  node: NodeProcess | null | undefined;
  t: { dispose(): Promise<void> } | undefined;
  sign: PtySign | undefined;
  nodeDir: string;
}): Promise<void> {
  await rig.node?.kill9();
  await rig.t?.dispose();
  await rig.sign?.close();
  if (rig.nodeDir) await rm(rig.nodeDir, { recursive: true, force: true });
}

export const nodeDataDir = (name: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), `gongshi-node-${name}-`));

/**
 * Checks that every record the node in `nodeDir` kept is in the controller's ledger (in `controllerDir`) exactly
 * once, and nothing else of that node is; answers the node's records and its ledger records.
 */
export async function expectEachOnceInLedger(
  nodeDir: string,
  controllerDir: string,
  nodeId: string,
): Promise<{ records: NodeRecord[]; ledger: Record<string, unknown>[] }> {
  const { records } = await nodeOutbox(nodeDir);
  const ledger = (await ledgerRecords(controllerDir)).filter((r) => r.nodeId === nodeId);
  const counts = new Map<string, number>();
  for (const r of ledger) counts.set(String(r.recordId), (counts.get(String(r.recordId)) ?? 0) + 1);
  for (const r of records) expect(counts.get(r.recordId), `record ${r.seq} (${r.type})`).toBe(1);
  expect(ledger).toHaveLength(records.length);
  return { records, ledger };
}
