/**
 * The village node as a witness of the town's ledger, like a kiosk
 * (protocol/witness.ts): on every connect it asks the controller to prove
 * that its ledger extends the signed checkpoint this node last accepted,
 * checks every link itself with node:crypto, and keeps the newer checkpoint
 * durably in `<data>/witness.json`. A controller whose ledger was truncated,
 * rewritten after that checkpoint, or that signs with another key raises an
 * alarm that stays in that file across restarts, goes to the node's log, and
 * is reported to the controller at every connect (the admin shows it on the
 * node's row); the controller cannot clear it. Only staff at the node clear
 * it, by removing the file (docs/OPERATIONS.md).
 *
 * A missing file is a fresh node. A file that is there but cannot be read
 * (cut short, damaged, refused by the file system) is never taken as "nothing
 * held": that would forget a standing alarm or a checkpoint and accept a
 * rewritten ledger afresh. The node raises a `checkpoint-unreadable` alarm
 * naming the file and what staff do, reports it like any other, leaves the
 * file as it found it, and reads it again at each connect until it can.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { nodeWitnessCrypto } from '../ops/keys.js';
import {
  type Ack,
  EMPTY_WITNESS,
  type WitnessAlarm,
  type WitnessLink,
  type WitnessState,
  keptWitnessFault,
  unreadableCheckpointAlarm,
  witnessAlarmReport,
  witnessCheckpoint,
  witnessRound,
} from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';

export const WITNESS_FILE = 'witness.json';
/** An unanswered proof or report is given up after this long; the next connect tries again. */
const WITNESS_TIMEOUT_MS = 30_000;

/** Why the kept file cannot be used: its bytes are damaged, or the file system refused to read it. */
export interface WitnessFileFault {
  fault: 'damaged' | 'refused';
  /** What is wrong, in Chinese and in English. */
  zh: string;
  en: string;
}

const damaged = (zh: string, en: string): WitnessFileFault => ({ fault: 'damaged', zh, en });

/**
 * The state kept in the data directory: nothing held when there is no file (a fresh node), else what it holds, or
 * why it cannot be used. Never throws.
 */
export async function readWitness(dataDir: string): Promise<WitnessState | WitnessFileFault> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, WITNESS_FILE), 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return EMPTY_WITNESS;
    const code = e.code ?? 'error';
    return { fault: 'refused', zh: `${code}，文件系统拒绝读取`, en: `${code}: ${e.message}` };
  }
  if (text.trim() === '') return damaged('文件是空的', 'the file is empty');
  let saved: Partial<Record<keyof WitnessState, unknown>>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return damaged('内容不是一个对象', 'it does not hold an object');
    saved = parsed;
  } catch {
    return damaged('内容不是完整的 JSON，可能被截断', 'it is not complete JSON; it may have been cut short');
  }
  const checkpoint = saved.checkpoint == null ? null : witnessCheckpoint.safeParse(saved.checkpoint);
  const alarm = saved.alarm == null ? null : witnessAlarmReport.safeParse(saved.alarm);
  if (checkpoint && !checkpoint.success) return damaged('检查点的字段不完整', 'its checkpoint lacks fields or has wrong ones');
  if (alarm && !alarm.success) return damaged('保存的告警字段不完整', 'its saved alarm lacks fields or has wrong ones');
  const isText = (v: unknown): v is string | null | undefined => v == null || typeof v === 'string';
  if (!isText(saved.publicKey) || !isText(saved.fingerprint)) return damaged('密钥字段不合格式', 'its key fields are not text');
  const state: WitnessState = {
    checkpoint: checkpoint?.data ?? null,
    publicKey: saved.publicKey ?? null,
    fingerprint: saved.fingerprint ?? null,
    alarm: alarm ? { ...alarm.data } : null,
  };
  const fault = keptWitnessFault(state, nodeWitnessCrypto);
  return fault ? damaged('检查点与其签名或密钥不符', fault) : state;
}

const isFault = (read: WitnessState | WitnessFileFault): read is WitnessFileFault => 'fault' in read;

/** The alarm's message: which file, what is wrong, what staff do (Chinese first, then English). */
export function unreadableMessage(file: string, fault: WitnessFileFault): string {
  const stop = '本节点不再核对镇级账本，也不接受新的检查点，直到工作人员处理。';
  const stopEn = 'This node no longer checks the town ledger nor takes a new checkpoint until staff deal with it.';
  return fault.fault === 'refused'
    ? `账本见证文件 ${file} 无法读取（${fault.zh}）。${stop}请让节点服务的用户能读写该文件（chown gongshi-node、chmod 600），节点在下次连接时重新读取。` +
        `The ledger witness file ${file} cannot be read (${fault.en}). ${stopEn} Give the node service's user read and write access to it (chown gongshi-node, chmod 600); the node reads it again at its next connect.`
    : `账本见证文件 ${file} 已损坏（${fault.zh}）。${stop}请停止节点服务，把该文件移到别处并随事件记录保存，按运维手册第 15 节核对镇级账本后再启动节点。` +
        `The ledger witness file ${file} is damaged (${fault.en}). ${stopEn} Stop the node service, move the file aside and keep it with the incident notes, check the town ledger (docs/OPERATIONS.md §15), then start the node.`;
}

export const writeWitness = (dataDir: string, state: WitnessState): Promise<void> =>
  writeFileDurably(path.join(dataDir, WITNESS_FILE), JSON.stringify(state));

/** What the node's witness needs of its socket. */
export interface WitnessSocket {
  timeout(ms: number): { emitWithAck(event: 'ledger:prove' | 'ledger:witness-alarm', payload: unknown): Promise<unknown> };
}

export interface NodeWitness {
  /** One round on a fresh connection; never two at once, never throws. */
  check(socket: WitnessSocket): Promise<void>;
  /** The alarm this node holds, if any. */
  alarm(): WitnessState['alarm'];
}

export async function createNodeWitness(deps: { dataDir: string; now: () => number; logger: Logger }): Promise<NodeWitness> {
  const log = deps.logger;
  const file = path.join(deps.dataDir, WITNESS_FILE);
  let state: WitnessState = EMPTY_WITNESS;
  /** While the kept file cannot be used: the alarm saying so (the same one while the fault is the same). */
  let unreadable: WitnessAlarm | null = null;

  /** Reads the kept file; a fault raises (or keeps) the unreadable alarm, and the file is left as it is. */
  const load = async (): Promise<void> => {
    const read = await readWitness(deps.dataDir);
    if (isFault(read)) {
      const message = unreadableMessage(file, read);
      if (unreadable?.message === message) return;
      unreadable = unreadableCheckpointAlarm(message, deps.now());
      log.error(`账本见证告警 / ledger witness alarm (${unreadable.kind}): ${unreadable.message}`);
      return;
    }
    if (unreadable)
      log.info(`${WITNESS_FILE} 可以读取了，恢复核对账本。${WITNESS_FILE} can be read again; the node checks the ledger again.`);
    unreadable = null;
    state = read;
    if (state.alarm) log.error(`账本见证告警仍然存在 / ledger witness alarm stands (${state.alarm.kind}): ${state.alarm.message}`);
  };
  await load();
  let running: Promise<void> | null = null;

  const round = async (socket: WitnessSocket): Promise<void> => {
    if (unreadable) await load();
    const ask = async <T>(event: 'ledger:prove' | 'ledger:witness-alarm', payload: unknown): Promise<Ack<T>> =>
      (await socket.timeout(WITNESS_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<T>;
    const link: WitnessLink = {
      prove: (request) => ask('ledger:prove', request),
      reportWitnessAlarm: (alarm) => ask('ledger:witness-alarm', alarm),
    };
    // Nothing it can check against: no proof is asked for, nothing is written over the file; the alarm is reported.
    if (unreadable) {
      await link.reportWitnessAlarm(unreadable);
      return;
    }
    const result = await witnessRound({
      link,
      state,
      save: async (next) => {
        await writeWitness(deps.dataDir, next);
        state = next;
      },
      crypto: nodeWitnessCrypto,
      now: deps.now,
    });
    state = result.state;
    if (result.raised) log.error(`账本见证告警 / ledger witness alarm (${result.raised.kind}): ${result.raised.message}`);
  };

  return {
    check(socket) {
      running ??= round(socket)
        .catch((error: unknown) =>
          log.warn(
            `the ledger check did not finish; the next connect tries again: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          running = null;
        });
      return running;
    },
    alarm: () => unreadable ?? state.alarm,
  };
}
