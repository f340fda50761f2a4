/**
 * A village node that dies without closing (SIGKILL, a power cut): the real
 * node program as a child process driving a BX sign emulator behind a real
 * pty. The display interval open at the kill reaches the ledger, closed at
 * about the kill and flagged `unclean-stop`; a machine clock that went back
 * an hour while the node was down is not trusted until the controller's
 * clock is read again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAliveNote } from '../../../controller/node/alive.js';
import type { Notice } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, staff, startController } from '../../helpers/controller.js';
import {
  type NodeProcess,
  type PtySign,
  allAcknowledged as acknowledged,
  ledgerRecords,
  nodeDataDir,
  nodeOutbox,
  nodeVillage,
  openPtySign,
  pairAsNode,
  poll,
  publishToVillage,
  saveNodeSign,
  startNodeProcess,
  closeNodeRig,
} from '../../helpers/node.js';
import { hasSocat } from '../../helpers/pty.js';

const HOUR = 3_600_000;

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let sign: PtySign;
let nodeDir: string;
let node: NodeProcess | null = null;
let nodeId = '';
let villageId = '';

const publish = (title: string, ledText: string): Promise<Notice> => publishToVillage(clients, villageId, { title, ledText });
const allAcknowledged = () => acknowledged(nodeDir, () => node?.output() ?? '', 60_000);

describe.skipIf(!hasSocat())('a village node stopped uncleanly', () => {
  beforeAll(async () => {
    t = await startController();
    clients = await staff(t);
    villageId = await nodeVillage(clients.admin, '断电村');
    sign = await openPtySign();
    nodeDir = await nodeDataDir('unclean');
  }, 60_000);

  afterAll(() => closeNodeRig({ node, t, sign, nodeDir }));

  it('records the interval open at a SIGKILL, closed at about the kill and flagged unclean-stop', async () => {
    node = startNodeProcess(t.url, nodeDir, { clockShiftMs: 0 });
    nodeId = await pairAsNode(clients.admin, await node.code(), villageId, '断电村节点');
    const saved = await saveNodeSign(clients.admin, 'unclean-sign', {
      name: '断电村村口屏',
      villageId,
      nodeId,
      port: { path: sign.pair.host, baudRate: 57600 },
    });
    expect(saved.status).toBe(200);
    const notice = await publish('断电村停电检修通知', '断电村周日停电检修');
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith('断电村周日停电检修')), 60_000);
    const hash = notice.versions.at(-1)?.contentHash ?? '';
    // Only this notice rotates on the sign: its interval stays open. Let the node note itself alive a few times.
    const shownBy = Date.now();
    await new Promise((r) => setTimeout(r, 5_000));
    const killedAt = Date.now();
    await node.kill9();

    node = startNodeProcess(t.url, nodeDir, { clockShiftMs: 0 });
    await allAcknowledged();
    const displays = (await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId && r.type === 'sign.display');
    const lost = displays.filter((r) => r.endReason === 'unclean-stop');
    expect(lost, JSON.stringify(displays)).toHaveLength(1);
    const [interval] = lost;
    expect(interval?.contentHash).toBe(hash);
    expect(interval?.signId).toBe('unclean-sign');
    expect(Number(interval?.start)).toBeLessThan(shownBy + 1_000);
    // Closed at the last moment the node noted itself alive: within its 2 s note interval (and a slow write) of the kill.
    expect(Number(interval?.end)).toBeGreaterThan(killedAt - 3_500);
    expect(Number(interval?.end)).toBeLessThanOrEqual(killedAt);
    expect(interval?.clockTrusted).toBe(true);

    // A clean stop closes its intervals itself ('stopped'): the next start closes nothing a second time.
    await node.stop();
    node = startNodeProcess(t.url, nodeDir, { clockShiftMs: 0 });
    await poll(() => node?.output().includes('outbox:') ?? false, 'the node did not start again');
    await allAcknowledged();
    const after = (await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId && r.endReason === 'unclean-stop');
    expect(after).toHaveLength(1);
  }, 150_000);

  it('distrusts a machine clock that went back while the node was down, until the controller’s clock is read', async () => {
    await publish('断电村第二则通知', '断电村下周一恢复供电');
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith('断电村下周一恢复供电')), 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    await node?.kill9();
    // The town is out of reach, and the machine's clock is an hour behind when the node comes back.
    await t.stop();
    const before = (await nodeOutbox(nodeDir)).records.length;
    node = startNodeProcess(t.url, nodeDir, { clockShiftMs: -HOUR });
    // Rotation goes on from the stored schedule, a card every 5 s: the node folds each content's cards into an interval
    // it notes as it goes, every one of them flagged untrusted.
    await poll(
      async () => ((await readAliveNote(nodeDir))?.intervals ?? []).some((i) => i.showings >= 2),
      `the node kept no interval offline:\n${node.output()}`,
      30_000,
    );
    const offline = (await readAliveNote(nodeDir))?.intervals ?? [];
    expect(offline.map((i) => i.clockTrusted)).toEqual(offline.map(() => false));
    // What the restart closed (the kill's) is from before the clock went astray; nothing after it is trusted.
    const recovered = (await nodeOutbox(nodeDir)).records.slice(before);
    expect(recovered.filter((r) => r.type === 'sign.display' && !r.clockTrusted)).toEqual([]);
    expect(node.output()).toMatch(/clock went back/);

    // The controller is back: its clock is read, the correction is new, and the node's times are trusted again. The
    // untrusted intervals close (another clock writes the next cards) and go up as they are.
    t = await startController({ dataDir: t.dataDir, args: ['--port', String(t.controller.port)] });
    clients = await staff(t);
    await poll(
      async () => ((await readAliveNote(nodeDir))?.intervals ?? []).some((i) => i.clockTrusted),
      `the node never trusted its clock again:\n${node.output()}`,
      30_000,
    );
    await poll(
      async () =>
        (await nodeOutbox(nodeDir)).records
          .slice(before)
          .some((r) => r.type === 'sign.display' && !r.clockTrusted && r.showings !== undefined),
      `the node's untrusted intervals never closed:\n${node.output()}`,
      30_000,
    );
    await allAcknowledged();
    const untrusted = (await ledgerRecords(t.dataDir)).filter(
      (r) => r.nodeId === nodeId && r.type === 'sign.display' && r.clockTrusted === false,
    );
    expect(untrusted.length).toBeGreaterThan(0);
  }, 150_000);
});
