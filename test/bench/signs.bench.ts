/**
 * LED delivery: how long until a BX sign has acknowledged a 200-hanzi notice,
 * at 9600 and 57600 baud, next to the wire-time lower bound of the same frame
 * (frame bytes × 10 bits ÷ baud, 8N1).
 *
 * Measured path: `driver.show()` on a real serialport stream → socat pty pair
 * → the sign emulator on the far end, which adds the wire time of every byte
 * it receives and sends (a pty ignores baud), decodes the A3 06 frame, and
 * answers with an ACK (30 bytes on the wire, included: "ACK wait included").
 * The emulator runs in its own process (signEmulatorProcess.ts), like a real
 * sign, so its timers and garbage collection are not on the measured event
 * loop, and its own processing time is set to 0: the overhead is the host's:
 * encoding, the supervisor, the pty, the framer and the answer. A third,
 * diagnostic row runs 57600 on the in-process emulator line (no pty, no socat,
 * the emulator on this event loop), to show the host's own share apart from
 * the pty hops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { createBxDriver } from '../../controller/led/bxDriver.js';
import { createEmulatorBinding } from '../../controller/led/emulator/memoryBinding.js';
import { SignEmulator } from '../../controller/led/emulator/signEmulator.js';
import { createSerialLink, wireTimeMs } from '../../controller/led/link.js';
import { createLogger } from '../../controller/logger.js';
import { parseSignProfile } from '../../controller/protocol/signProfile.js';
import { hasSocat, openPtyPair } from '../helpers/pty.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { type EmulatorProcess, startEmulatorProcess } from './signEmulatorChild.js';
import type { Exchange } from './signEmulatorIpc.js';
import { describeSplit, describeTail, type MonotonicRound, type Round, watchGc } from './signsTail.js';
import { monotonicMs, sleep, summarise } from './stats.js';
import { createBxAnswerReader } from '../../controller/led/bx/answers.js';

export const name = 'signs';

/** 200 hanzi of a real-looking notice (GB2312 only), no ASCII. */
const NOTICE = (
  '关于开展本年度城乡居民基本医疗保险集中缴费工作的通知各村民小组全体村民本年度城乡居民基本医疗保险集中缴费工作已经开始个人缴费标准为每人每年四百元缴费截止日期为十二月三十一日' +
  '可通过村便民服务点手机银行或者政务服务平台缴费特困人员低保对象等由政府按规定给予资助请各位村民相互转告按时缴费以免影响明年的医疗待遇咨询请到镇便民服务中心或拨打村委会值班电话谢谢配合特此通知' +
  '村民委员会将于本月下旬组织工作人员入户核对参保信息届时请各户准备好户口簿和身份证件配合登记'
).slice(0, 200);

const PLAN = {
  full: { 9600: { warmup: 2, rounds: 30 }, 57600: { warmup: 5, rounds: 100 } },
  quick: { 9600: { warmup: 1, rounds: 5 }, 57600: { warmup: 2, rounds: 10 } },
} as const;

/**
 * `pty`: the headline path, through socat, with the emulator in its own process (signEmulatorProcess.ts), as a real
 * sign is its own hardware: this process holds only what the controller holds, the driver and its supervisor.
 * `in-process` (diagnostic): the same driver, supervisor and serialport stream on the in-process emulator binding
 * (the demo's), without the pty and socat hops and with the emulator on this event loop: the host's own share.
 */
type Line = 'pty' | 'in-process';

const SIGN = { address: 1, width: 192, height: 32 } as const;

interface Wire {
  hostPath: string;
  binding: typeof SerialPort.binding;
  pathExists: ((p: string) => boolean) | undefined;
  /** What the sign holds once the rounds are over, and (emulator process only) its exchanges' time stamps. */
  texts(): Promise<{ texts: string[]; exchanges: Exchange[] | null }>;
  close(): Promise<void>;
}

async function openLine(line: Line, baud: number): Promise<Wire> {
  if (line === 'in-process') {
    const emu = new SignEmulator({ protocol: 'bx', ...SIGN, baudRate: baud, processingMs: 0 });
    const hostPath = 'emulated:bench';
    const lines = new Map([[hostPath, emu]]);
    return {
      hostPath,
      binding: createEmulatorBinding(lines),
      pathExists: (p: string) => lines.has(p),
      texts: () => Promise.resolve({ texts: emu.texts(), exchanges: null }),
      close: () => {
        emu.dispose();
        return Promise.resolve();
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-led-'));
  const pair = await openPtyPair({ linkDir: dir });
  let sign: EmulatorProcess | null = null;
  const close = async () => {
    await sign?.close();
    await pair.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    sign = await startEmulatorProcess({ path: pair.sign, baudRate: baud, ...SIGN });
  } catch (error) {
    await close();
    throw error;
  }
  const child = sign;
  return { hostPath: pair.host, binding: SerialPort.binding, pathExists: undefined, texts: () => child.texts(), close };
}

async function measure(
  baud: 9600 | 57600,
  plan: { warmup: number; rounds: number },
  log: (m: string) => void,
  line: Line = 'pty',
): Promise<BenchResult> {
  const wire = await openLine(line, baud);
  const logger = createLogger({ level: 'warn' });
  const profile = parseSignProfile({
    id: 'bench',
    name: 'bench',
    villageId: 'v',
    protocol: 'bx5k',
    port: { path: wire.hostPath, baudRate: baud },
    address: SIGN.address,
    widthPx: SIGN.width,
    heightPx: SIGN.height,
    charset: 'gb2312',
  });
  const link = createSerialLink({
    answers: createBxAnswerReader,
    settings: { ...profile.port },
    binding: wire.binding,
    logger,
    ...(wire.pathExists && { pathExists: wire.pathExists }),
  });
  const driver = createBxDriver({ profile, link, logger });
  try {
    await link.start();
    await driver.restore();
    const measured: number[] = [];
    const rounds: Round[] = [];
    const monotonicRounds: MonotonicRound[] = [];
    let bytes = 0;
    const gc = watchGc();
    for (let i = 0; i < plan.warmup + plan.rounds; i++) {
      // A distinct key each round, the same text: every round is a full A3 06 exchange.
      const started = monotonicMs();
      const start = performance.now();
      const delivery = await driver.show({ key: `round-${i}`, text: NOTICE, layout: 'pages', stayTimeSec: 5, speed: 4, colour: 'red' });
      const elapsed = monotonicMs() - started;
      const end = performance.now();
      if (delivery.attempts !== 1) throw new Error(`round ${i} needed ${delivery.attempts} attempts`);
      bytes = delivery.bytes;
      if (i >= plan.warmup) {
        measured.push(elapsed);
        rounds.push({ start, end });
        monotonicRounds.push({ t0: started, t1: started + elapsed });
      }
      await sleep(20);
    }
    const gcs = await gc.stop();
    const held = await wire.texts();
    if (!held.texts[0]?.startsWith(NOTICE.slice(0, 12))) throw new Error('the emulator does not hold the notice');
    const bound = wireTimeMs(bytes, profile.port);
    const m = summarise(measured);
    log(`  ${baud} baud (${line}): frame ${bytes} B, bound ${bound.toFixed(1)} ms, p50 ${m.p50.toFixed(1)} ms`);
    const ackMs = wireTimeMs(30, profile.port);
    return {
      benchmark: `200 hanzi → BX sign @${baud}${line === 'pty' ? '' : ' (diagnostic: in-process line)'}`,
      n: baud,
      rounds: measured.length,
      payloadBytes: bytes,
      measured: m,
      baseline: { name: 'wire-time lower bound: frame bytes × 10 ÷ baud', p50: bound, p99: bound },
      notes: [
        `overhead over the bound: p50 ${((m.p50 / bound - 1) * 100).toFixed(1)} %, p99 ${((m.p99 / bound - 1) * 100).toFixed(1)} % (target ≤ 15 %)`,
        `of which the 30-byte ACK's own wire time: ${ackMs.toFixed(1)} ms (${((ackMs / bound) * 100).toFixed(1)} %)`,
        describeTail(rounds, gcs, bound),
        ...(held.exchanges ? [describeSplit(monotonicRounds, held.exchanges)] : []),
        `${NOTICE.length} hanzi → ${bytes} B on the wire (A3 06 with-area-count, 192×32 pages, escaped)`,
      ],
    };
  } finally {
    driver.stop();
    await link.stop();
    await wire.close();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  if (!hasSocat()) throw new Error('the signs benchmark needs socat (apt-get install socat)');
  const plan = options.quick ? PLAN.quick : PLAN.full;
  return [
    await measure(9600, plan[9600], options.log),
    await measure(57600, plan[57600], options.log),
    await measure(57600, plan[57600], options.log, 'in-process'),
  ];
}
