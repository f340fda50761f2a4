/**
 * A village node as a witness of the town's ledger: the real node program as
 * a child process and a real controller. The node takes a signed checkpoint
 * on connect and keeps it in its data directory; between runs the
 * controller's data directory is tampered with as an insider could (the tail
 * truncated, the chain rewritten after the checkpoint with every hash
 * recomputed, the signing key replaced); when the node reconnects it raises
 * its alarm, keeps it across its own restarts (SIGKILL) and reports it at
 * every connect, so it stands on the admin's integrity answer even after the
 * controller restarts and forgets it.
 *
 * And the node's own file: a witness.json cut short, emptied, hand-edited or
 * refused by the file system (EACCES) is never taken as "nothing held". The
 * node stays up, raises a `checkpoint-unreadable` alarm naming the file and
 * what to do (zh and en), reports it, leaves the file as it found it and takes
 * no new checkpoint; once staff put the file right the alarm is lifted on the
 * controller too.
 */
import { chmod, chown, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WITNESS_FILE } from '../../../controller/node/witness.js';
import { KEYS_DIR } from '../../../controller/ops/keys.js';
import type { Device, DeviceWitnessAlarm, WitnessState } from '../../../controller/protocol/index.js';
import { listSegments } from '../../../controller/store/ledger.js';
import {
  ApiClient,
  type TestController,
  data,
  initialPassword,
  restartController,
  staff,
  startController,
} from '../../helpers/controller.js';
import { type NodeProcess, ledgerRecords, pairAsNode, poll, startNodeProcess } from '../../helpers/node.js';
import { rewriteLedgerFrom } from '../../helpers/ledgerRewrite.js';

let controllers: TestController[] = [];
let nodes: NodeProcess[] = [];
let dirs: string[] = [];

afterEach(async () => {
  for (const n of nodes) await n.kill9();
  for (const t of controllers) await t.dispose();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  controllers = [];
  nodes = [];
  dirs = [];
});

const witnessOf = async (dir: string): Promise<WitnessState | null> =>
  JSON.parse(await readFile(path.join(dir, WITNESS_FILE), 'utf8').catch(() => 'null')) as WitnessState | null;

async function appendSome(t: TestController, n: number): Promise<void> {
  const { editor } = await staff(t);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  for (let i = 0; i < n; i++) {
    data((await editor.post('/api/disclosures/manual', { channel: 'board', title: `公示栏张贴第${i + 1}条`, disclosedOn: today })).body);
  }
}

/** One signed-in admin per controller run (a sign-in costs a real password hash). */
const admins = new WeakMap<TestController, ApiClient>();
async function alarmsOf(t: TestController): Promise<DeviceWitnessAlarm[]> {
  let admin = admins.get(t);
  if (!admin) {
    admin = new ApiClient(t.url);
    await admin.login('admin', await initialPassword(t.dataDir));
    admins.set(t, admin);
  }
  return data((await admin.get<{ witnessAlarms: DeviceWitnessAlarm[] }>('/api/ledger/integrity')).body).witnessAlarms;
}

/** The user the node runs as in the EACCES case: the tests run as root, whom no file is refused. */
const SERVICE_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

function node(t: TestController, dir: string, user?: { uid: number; gid: number }): NodeProcess {
  const n = startNodeProcess(t.url, dir, user ? { user } : {});
  nodes.push(n);
  return n;
}

async function devicesOf(t: TestController): Promise<Device[]> {
  await alarmsOf(t); // signs in
  return data((await (admins.get(t) as ApiClient).get<Device[]>('/api/devices')).body);
}

async function restarted(t: TestController): Promise<TestController> {
  await t.stop();
  controllers = controllers.filter((c) => c !== t);
  const next = await restartController(t);
  controllers.push(next);
  return next;
}

/** A controller with some records and a paired node holding a checkpoint at its head; both stopped, ready to be tampered with. */
async function witnessed(user?: {
  uid: number;
  gid: number;
}): Promise<{ t: TestController; dir: string; nodeId: string; held: WitnessState }> {
  const t = await startController();
  controllers.push(t);
  await appendSome(t, 30);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-node-witness-'));
  dirs.push(dir);
  if (user) await chown(dir, user.uid, user.gid);
  const n = node(t, dir, user);
  const nodeId = await pairAsNode(admins.get(t) ?? (await staff(t)).admin, await n.code(), 'v1', '见证节点');
  // The pairing is itself a record: the node's checkpoint is at the head once it has connected.
  await poll(async () => ((await witnessOf(dir))?.checkpoint?.seq ?? 0) > 30, `the node never took a checkpoint:\n${n.output()}`, 30_000);
  await n.kill9();
  const held = (await witnessOf(dir)) as WitnessState;
  expect(held.alarm).toBeNull();
  await t.stop();
  return { t, dir, nodeId, held };
}

async function lastSegment(t: TestController): Promise<string> {
  const dir = path.join(t.dataDir, 'ledger');
  return path.join(dir, (await listSegments(dir)).at(-1) ?? '');
}

/** The node reconnects to the tampered controller: its alarm is raised, kept, reported, and survives both restarting. */
async function expectAlarm(stopped: TestController, dir: string, nodeId: string, kind: RegExp): Promise<DeviceWitnessAlarm> {
  let t = await restartController(stopped);
  controllers = [...controllers.filter((c) => c !== stopped), t];
  let n = node(t, dir);
  await poll(async () => (await witnessOf(dir))?.alarm != null, `the node raised no alarm:\n${n.output()}`, 30_000);
  const alarm = (await witnessOf(dir))?.alarm;
  expect(alarm?.kind).toMatch(kind);
  await poll(() => /账本见证告警[\s\S]*ledger witness alarm/.test(n.output()), `the node did not log its alarm:\n${n.output()}`);
  await poll(async () => (await alarmsOf(t)).some((a) => a.deviceId === nodeId), 'the controller never heard the alarm', 20_000);
  expect((await alarmsOf(t)).find((a) => a.deviceId === nodeId)).toMatchObject({ kind: alarm?.kind, held: alarm?.held });

  // Both restart: the controller forgets, the node does not, and says so again at its next connect.
  await n.kill9();
  t = await restarted(t);
  expect((await alarmsOf(t)).some((a) => a.deviceId === nodeId)).toBe(false);
  n = node(t, dir);
  await poll(async () => (await alarmsOf(t)).some((a) => a.deviceId === nodeId), 'the node did not report its alarm again', 30_000);
  expect((await witnessOf(dir))?.alarm).toEqual(alarm);
  return (await alarmsOf(t)).find((a) => a.deviceId === nodeId) as DeviceWitnessAlarm;
}

describe('village nodes witness the ledger', () => {
  it('catches a truncated tail', async () => {
    const { t, dir, nodeId, held } = await witnessed();
    const file = await lastSegment(t);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    await writeFile(file, `${lines.slice(0, -25).join('\n')}\n`);
    const alarm = await expectAlarm(t, dir, nodeId, /truncated|rewritten/);
    expect(alarm.held.seq).toBe(held.checkpoint?.seq);
  }, 240_000);

  it('catches the chain rewritten after its checkpoint, every hash recomputed', async () => {
    const { t, dir, nodeId, held } = await witnessed();
    const heldSeq = held.checkpoint?.seq ?? 0;
    await rewriteLedgerFrom(await lastSegment(t), heldSeq - 2);
    await expectAlarm(t, dir, nodeId, /^rewritten$/);
  }, 240_000);

  it('catches the signing key replaced', async () => {
    const { t, dir, nodeId, held } = await witnessed();
    await rename(path.join(t.dataDir, KEYS_DIR), path.join(t.dataDir, 'keys-old'));
    const alarm = await expectAlarm(t, dir, nodeId, /^key-replaced$/);
    expect(alarm.held.fingerprint).toBe(held.fingerprint);
    expect(alarm.shown.fingerprint).not.toBe(held.fingerprint);
  }, 240_000);
});

describe('a witness file the node cannot read', () => {
  /** The controller lists the node's unreadable-checkpoint alarm, naming the file, in Chinese and English. */
  async function expectUnreadable(
    t: TestController,
    dir: string,
    nodeId: string,
    n: NodeProcess,
    detail: RegExp,
  ): Promise<DeviceWitnessAlarm> {
    const file = path.join(dir, WITNESS_FILE);
    let alarm: DeviceWitnessAlarm | undefined;
    await poll(
      async () => {
        alarm = (await alarmsOf(t)).find((a) => a.deviceId === nodeId && detail.test(a.message));
        return alarm !== undefined;
      },
      () => `the controller never heard the node's unreadable-file alarm (${String(detail)}):\n${n.output()}`,
      30_000,
    );
    expect(alarm?.kind).toBe('checkpoint-unreadable');
    expect(alarm?.message).toContain(file);
    expect(alarm?.message).toMatch(/^账本见证文件 .*(已损坏|无法读取)[\s\S]*The ledger witness file /);
    expect(n.output()).toContain(`账本见证告警 / ledger witness alarm (checkpoint-unreadable): 账本见证文件 ${file}`);
    // The node is up and connected (the devices page shows it online, with the alarm on its row).
    expect(n.child.exitCode).toBeNull();
    await poll(async () => (await devicesOf(t)).find((d) => d.id === nodeId)?.online === true, 'the node is not online');
    expect((await devicesOf(t)).find((d) => d.id === nodeId)?.witnessAlarm).toMatchObject({ kind: 'checkpoint-unreadable' });
    return alarm as DeviceWitnessAlarm;
  }

  it('raises an alarm for a witness.json cut short, emptied or damaged, changes nothing, and lifts it once the file is put right', async () => {
    const { t: stopped, dir, nodeId, held } = await witnessed();
    const t = await restartController(stopped);
    controllers = [...controllers.filter((c) => c !== stopped), t];
    const file = path.join(dir, WITNESS_FILE);
    const good = await readFile(file, 'utf8');
    // One character of the head hash changed by hand: still well-formed, no longer what was signed.
    const headHash = held.checkpoint?.headHash ?? '';
    const flipped = JSON.stringify({
      ...held,
      checkpoint: { ...held.checkpoint, headHash: `${headHash[0] === '0' ? '1' : '0'}${headHash.slice(1)}` },
    });
    const fieldless = JSON.stringify({ ...held, checkpoint: { seq: held.checkpoint?.seq } });
    const damages: [string, RegExp][] = [
      [good.slice(0, Math.floor(good.length / 2)), /截断[\s\S]*cut short/],
      ['', /文件是空的[\s\S]*the file is empty/],
      [flipped, /检查点与其签名或密钥不符[\s\S]*does not match its own signature/],
      [fieldless, /检查点的字段不完整[\s\S]*checkpoint lacks fields/],
    ];
    for (const [bytes, detail] of damages) {
      await writeFile(file, bytes);
      const n = node(t, dir);
      await expectUnreadable(t, dir, nodeId, n, detail);
      expect(n.output()).toMatch(/已损坏[\s\S]*移到别处[\s\S]*is damaged[\s\S]*move the file aside/);
      // Left as it was found: no new first checkpoint written over it.
      expect(await readFile(file, 'utf8')).toBe(bytes);
      await n.kill9();
    }

    // Staff put the file right (here: the good copy back): the node checks the ledger from it again, and the
    // controller lifts the alarm and records that it did.
    await writeFile(file, good);
    const n = node(t, dir);
    await poll(async () => !(await alarmsOf(t)).some((a) => a.deviceId === nodeId), `the alarm was never lifted:\n${n.output()}`, 30_000);
    expect((await devicesOf(t)).find((d) => d.id === nodeId)?.witnessAlarm).toBeNull();
    expect((await witnessOf(dir))?.checkpoint?.seq).toBeGreaterThanOrEqual(held.checkpoint?.seq ?? Infinity);
    expect((await witnessOf(dir))?.alarm).toBeNull();
    const cleared = (await ledgerRecords(t.dataDir)).filter((r) => r.type === 'witness.alarm-cleared' && r.deviceId === nodeId);
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({ kind: 'checkpoint-unreadable' });
  }, 300_000);

  it('raises an alarm when the file system refuses the file (EACCES), without crashing, and reads it again at the next connect', async () => {
    const { t: stopped, dir, nodeId, held } = await witnessed(SERVICE_USER);
    let t = await restartController(stopped);
    controllers = [...controllers.filter((c) => c !== stopped), t];
    const file = path.join(dir, WITNESS_FILE);
    const good = await readFile(file, 'utf8');
    // The file is no longer the node's to read: owned by root (as a restore done by hand leaves it), mode 0600.
    if (SERVICE_USER) await chown(file, 0, 0);
    await chmod(file, SERVICE_USER ? 0o600 : 0o000);
    const n = node(t, dir, SERVICE_USER);
    const alarm = await expectUnreadable(t, dir, nodeId, n, /EACCES/);
    expect(alarm.message).toMatch(/无法读取（EACCES[\s\S]*chown[\s\S]*cannot be read \(EACCES[\s\S]*read and write access/);

    // Staff give the file back to the node's user; at its next connect (the controller restarts) the node reads it,
    // checks the ledger from the checkpoint it held and moves on.
    if (SERVICE_USER) await chown(file, SERVICE_USER.uid, SERVICE_USER.gid);
    else await chmod(file, 0o600);
    t = await restarted(t);
    await poll(() => /can be read again/.test(n.output()), `the node never read its file again:\n${n.output()}`, 30_000);
    await poll(async () => (await readFile(file, 'utf8')) !== good, 'the node took no newer checkpoint', 30_000);
    expect((await witnessOf(dir))?.checkpoint?.seq).toBeGreaterThanOrEqual(held.checkpoint?.seq ?? Infinity);
    expect((await witnessOf(dir))?.alarm).toBeNull();
    expect((await alarmsOf(t)).some((a) => a.deviceId === nodeId)).toBe(false);
    expect(n.child.exitCode).toBeNull();
  }, 300_000);
});
