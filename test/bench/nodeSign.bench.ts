/**
 * Approval → last byte on the wire, for a BX sign behind a village node at
 * 9600 baud, as a ratio to the wire-time bound of the frame that carries the
 * notice (frame bytes × 10 ÷ baud, 8N1), the issue-13 counterpart of the
 * direct-sign benchmark (signs.bench.ts).
 *
 * Measured path, every part real and in its own process as in a village:
 * this process holds the controller (port 0, temporary data directory, demo
 * off) and the reviewer's HTTP client; the village node is the node program
 * (`controller/node/main.ts`) as a child process, paired by its code and
 * connected over socket.io; the sign emulator is a third process on the far
 * end of a socat pty pair that the node opens as its serial port. The clock
 * starts just before `POST /api/notices/:id/approve` leaves and stops when the
 * last byte of the frame that puts the notice on the sign is due on the
 * emulated wire (the emulator acts on a frame at that moment, to the
 * microsecond, and stamps it on the monotonic clock every process shares).
 * In between: the approval (ledger append with fdatasync, state.json), the
 * controller's push of the node's schedule, the node keeping it durably,
 * its signs service stepping the sign, the BX driver encoding and writing,
 * the pty hop, and the frame's own wire time.
 *
 * Each round first withdraws the previous round's notice and waits for the
 * sign to drop it (untimed), so that every timed approval changes the sign
 * from holding nothing to one 200-hanzi notice, the frame of the direct-sign
 * benchmark. A second row, in the same run, times the same approvals with the
 * sign attached to the controller itself (moved there in the admin, no
 * restart): the node's own share is the difference.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../controller/config.js';
import { wireTimeMs } from '../../controller/led/link.js';
import { type RunningController, createController, packageRoot } from '../../controller/main.js';
import type { DeviceView, Notice } from '../../controller/protocol/index.js';
import type { State } from '../../controller/store/state.js';
import { ApiClient, data } from '../helpers/controller.js';
import { type NodeProcess, pairAsNode, poll, startNodeProcess } from '../helpers/node.js';
import { hasSocat, openPtyPair } from '../helpers/pty.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { BENCH_STAFF, VILLAGE_ID, writeTownState } from './fanout/town.js';
import { type EmulatorProcess, startEmulatorProcess } from './signEmulatorChild.js';
import type { SignChange } from './signEmulatorIpc.js';
import { monotonicMs, sleep, summarise } from './stats.js';

export const name = 'nodeSign';

const BAUD = 9600;
const SIGN = { address: 1, width: 192, height: 32 } as const;
const SIGN_ID = 'bench-node-sign';
const PLAN = { full: { warmup: 2, rounds: 30 }, quick: { warmup: 1, rounds: 5 } } as const;
const ROUND_TIMEOUT_MS = 30_000;
const ADMIN = 'bench-admin';

/** The 200 hanzi of the direct-sign benchmark (GB2312 only, no ASCII): the same frame, the same bound. */
const NOTICE = (
  '关于开展本年度城乡居民基本医疗保险集中缴费工作的通知各村民小组全体村民本年度城乡居民基本医疗保险集中缴费工作已经开始个人缴费标准为每人每年四百元缴费截止日期为十二月三十一日' +
  '可通过村便民服务点手机银行或者政务服务平台缴费特困人员低保对象等由政府按规定给予资助请各位村民相互转告按时缴费以免影响明年的医疗待遇咨询请到镇便民服务中心或拨打村委会值班电话谢谢配合特此通知' +
  '村民委员会将于本月下旬组织工作人员入户核对参保信息届时请各户准备好户口簿和身份证件配合登记'
).slice(0, 200);
const PREFIX = NOTICE.slice(0, 12);
const holdsNotice = (texts: readonly string[]) => texts.some((t) => t.startsWith(PREFIX));

const ATTESTATION = {
  noStateSecret: true,
  noCommercialSecret: true,
  noUnmaskedPersonalData: true,
  checkedAgainstSource: true,
  opinion: '',
};

interface Round {
  /** Approval sent → last byte of the frame on the wire. */
  ms: number;
  /** Approval sent → first byte of the frame read by the sign (everything before the wire). */
  toSign: number;
  /** The approval's HTTP answer. */
  approveMs: number;
  bytes: number;
}

interface Town {
  controller: RunningController;
  admin: ApiClient;
  editor: ApiClient;
  reviewer: ApiClient;
}

/** Resolves with the first change of the sign after now that satisfies `accept`. */
function nextChange(sign: EmulatorProcess, accept: (c: SignChange) => boolean, what: string): Promise<SignChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the sign never ${what} within ${ROUND_TIMEOUT_MS} ms`));
    }, ROUND_TIMEOUT_MS);
    const off = sign.onChange((c) => {
      if (!accept(c)) return;
      clearTimeout(timer);
      off();
      resolve(c);
    });
  });
}

async function attachSign(town: Town, portPath: string, node: string | null): Promise<void> {
  data(
    (
      await town.admin.request('PUT', `/api/signs/${SIGN_ID}/profile`, {
        name: '基准村村口屏',
        villageId: VILLAGE_ID,
        protocol: 'bx5k',
        address: SIGN.address,
        widthPx: SIGN.width,
        heightPx: SIGN.height,
        charset: 'gb2312',
        port: { path: portPath, baudRate: BAUD },
        node,
      })
    ).body,
  );
}

/** Rounds of: withdraw the last notice and wait for the sign to drop it (untimed), then approve a new one (timed). */
async function measure(
  town: Town,
  sign: EmulatorProcess,
  plan: { warmup: number; rounds: number },
  state: { previous: string | null; round: number },
): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let i = 0; i < plan.warmup + plan.rounds; i++) {
    const n = ++state.round;
    if (state.previous) {
      const dropped = nextChange(sign, (c) => !holdsNotice(c.texts), 'dropped the withdrawn notice');
      data((await town.reviewer.post(`/api/notices/${state.previous}/withdraw`, { reason: '基准测试：本轮结束' })).body);
      await dropped;
      state.previous = null;
    }
    const draft = data(
      (
        await town.editor.post<Notice>('/api/notices', {
          title: `医保缴费通知（第${n}期）`,
          body: `${NOTICE}。`,
          ledText: NOTICE,
          target: { scope: 'villages', villageIds: [VILLAGE_ID] },
        })
      ).body,
    );
    data((await town.editor.post(`/api/notices/${draft.id}/submit`)).body);
    // Let the submit's own pushes and writes settle: the round times the approval alone.
    await sleep(200);
    let t0 = 0;
    const shown = nextChange(sign, (c) => holdsNotice(c.texts) && c.at > t0, 'showed the approved notice');
    t0 = monotonicMs();
    data((await town.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    const approveMs = monotonicMs() - t0;
    const change = await shown;
    state.previous = draft.id;
    if (i >= plan.warmup) rounds.push({ ms: change.at - t0, toSign: change.firstIn - t0, approveMs, bytes: change.bytes });
    await sleep(100);
  }
  return rounds;
}

function result(label: string, rounds: readonly Round[], notes: string[]): BenchResult {
  const bytes = rounds[0]?.bytes ?? 0;
  if (rounds.some((r) => r.bytes !== bytes))
    throw new Error(`${label}: the frames differ in size: ${rounds.map((r) => r.bytes).join(', ')}`);
  const bound = wireTimeMs(bytes, { baudRate: BAUD, dataBits: 8, stopBits: 1, parity: 'none' });
  const m = summarise(rounds.map((r) => r.ms));
  const toSign = summarise(rounds.map((r) => r.toSign));
  const approve = summarise(rounds.map((r) => r.approveMs));
  const f = (n: number) => n.toFixed(1);
  return {
    benchmark: label,
    n: BAUD,
    rounds: rounds.length,
    payloadBytes: bytes,
    measured: m,
    baseline: { name: 'wire-time lower bound: frame bytes × 10 ÷ baud', p50: bound, p99: bound },
    notes: [
      `ratio to the bound: p50 ${(m.p50 / bound).toFixed(3)}×, p99 ${(m.p99 / bound).toFixed(3)}× (target ≤ 1.15×)`,
      `before the wire (approval sent → first byte read by the sign): p50 ${f(toSign.p50)} ms, p99 ${f(toSign.p99)} ms; approval's HTTP answer p50 ${f(approve.p50)} ms, p99 ${f(approve.p99)} ms`,
      `slowest rounds (total = before the wire + wire): ${[...rounds]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((r) => `${f(r.ms)} = ${f(r.toSign)} + ${f(r.ms - r.toSign)}`)
        .join(', ')}`,
      ...notes,
    ],
  };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  if (!hasSocat()) throw new Error('the nodeSign benchmark needs socat (apt-get install socat)');
  const plan = options.quick ? PLAN.quick : PLAN.full;
  const closers: (() => Promise<void>)[] = [];
  try {
    const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-nodesign-'));
    closers.push(() => rm(work, { recursive: true, force: true }));
    const dataDir = path.join(work, 'controller');
    await mkdir(dataDir);
    await writeTownState(dataDir, 0, `bench-${randomUUID()}-`, Date.now());
    // An existing data directory gets no first admin: the bench's own pairs the node and edits the sign's profile.
    const stateFile = path.join(dataDir, 'state.json');
    const town0 = JSON.parse(await readFile(stateFile, 'utf8')) as State;
    const reviewerRecord = town0.users.find((u) => u.username === BENCH_STAFF.reviewer);
    if (!reviewerRecord) throw new Error('the bench town has no reviewer');
    town0.users.push({ ...reviewerRecord, id: 'u-bench-admin', username: ADMIN, displayName: ADMIN, roles: ['admin'] });
    await writeFile(stateFile, JSON.stringify(town0));
    const argv = ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--demo', 'off', '--log-level', 'warn'];
    const controller = await createController(
      loadConfig(argv, {}, { cwd: process.cwd(), defaultWebDir: path.join(packageRoot(), 'dist/web') }),
    );
    closers.push(() => controller.stop());
    const town: Town = {
      controller,
      admin: new ApiClient(controller.url),
      editor: new ApiClient(controller.url),
      reviewer: new ApiClient(controller.url),
    };
    await Promise.all([
      town.admin.login(ADMIN, BENCH_STAFF.password),
      town.editor.login(BENCH_STAFF.editor, BENCH_STAFF.password),
      town.reviewer.login(BENCH_STAFF.reviewer, BENCH_STAFF.password),
    ]);

    const pair = await openPtyPair();
    closers.push(() => pair.close());
    const sign = await startEmulatorProcess({ path: pair.sign, baudRate: BAUD, ...SIGN, changes: true });
    closers.push(() => sign.close());

    const nodeStarted = monotonicMs();
    const node: NodeProcess = startNodeProcess(controller.url, path.join(work, 'node'), { args: ['--log-level', 'warn'] });
    closers.push(() => node.stop());
    const nodeId = await pairAsNode(town.admin, await node.code(), VILLAGE_ID, '基准村节点');
    await poll(
      async () => data((await town.admin.get<DeviceView[]>('/api/devices')).body).some((d) => d.id === nodeId && d.online),
      `the node never came online:\n${node.output()}`,
      60_000,
    );
    options.log(`  node paired and online in ${((monotonicMs() - nodeStarted) / 1000).toFixed(1)} s`);

    const state = { previous: null as string | null, round: 0 };
    // First the sign on the controller's own port (the direct path), then moved to the node in the admin.
    await attachSign(town, pair.host, null);
    await sleep(2_000);
    const direct = await measure(town, sign, plan, state);
    options.log(`  direct: p50 ${summarise(direct.map((r) => r.ms)).p50.toFixed(1)} ms`);

    await attachSign(town, pair.host, nodeId);
    await sleep(3_000);
    const behind = await measure(town, sign, plan, state);
    options.log(`  behind the node: p50 ${summarise(behind.map((r) => r.ms)).p50.toFixed(1)} ms`);

    const held = await sign.texts();
    if (!holdsNotice(held.texts)) throw new Error(`the sign does not hold the notice at the end: ${JSON.stringify(held.texts)}`);
    const diff = summarise(behind.map((r) => r.ms)).p50 - summarise(direct.map((r) => r.ms)).p50;
    return [
      result(`approve → sign behind a village node @${BAUD}: last byte on the wire`, behind, [
        `the node's own share (p50 behind the node − p50 direct, same run): ${diff.toFixed(1)} ms`,
        `${NOTICE.length} hanzi, frame ${behind[0]?.bytes ?? 0} B (A3 06, 192×32 pages); controller, node and sign each in its own process, the sign through a socat pty`,
      ]),
      result(`approve → sign on the controller @${BAUD}: last byte on the wire (same run)`, direct, [
        'the same approvals with the sign attached to the controller itself, the same pty and emulator process',
      ]),
    ];
  } finally {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  }
}
