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
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { nodeWitnessCrypto } from '../ops/keys.js';
import {
  type Ack,
  EMPTY_WITNESS,
  type WitnessLink,
  type WitnessState,
  witnessCheckpoint,
  witnessAlarmReport,
  witnessRound,
} from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';

export const WITNESS_FILE = 'witness.json';
/** An unanswered proof or report is given up after this long; the next connect tries again. */
const WITNESS_TIMEOUT_MS = 30_000;

/**
 * The state kept in the data directory. A file that is there but unreadable is not taken as "nothing held" (a
 * tampered controller would then be taken afresh): the node logs it and takes no new first checkpoint until
 * staff look at the file.
 */
export async function readWitness(dataDir: string): Promise<WitnessState | 'unreadable'> {
  const text = await readFile(path.join(dataDir, WITNESS_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return EMPTY_WITNESS;
  try {
    const saved = JSON.parse(text) as Partial<WitnessState>;
    const checkpoint = saved.checkpoint == null ? null : witnessCheckpoint.parse(saved.checkpoint);
    const alarm = saved.alarm == null ? null : { ...witnessAlarmReport.parse(saved.alarm) };
    return {
      checkpoint,
      publicKey: typeof saved.publicKey === 'string' ? saved.publicKey : null,
      fingerprint: typeof saved.fingerprint === 'string' ? saved.fingerprint : null,
      alarm,
    };
  } catch {
    return 'unreadable';
  }
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
  const loaded = await readWitness(deps.dataDir);
  let state: WitnessState | null = loaded === 'unreadable' ? null : loaded;
  if (loaded === 'unreadable')
    log.error(
      `${WITNESS_FILE} 无法读取：本节点不再核对账本，直到工作人员检查该文件。${WITNESS_FILE} cannot be read: this node does not witness the ledger until staff look at it.`,
    );
  if (state?.alarm) log.error(`账本见证告警仍然存在 / ledger witness alarm stands (${state.alarm.kind}): ${state.alarm.message}`);
  let running: Promise<void> | null = null;

  const round = async (socket: WitnessSocket): Promise<void> => {
    if (!state) return;
    const ask = async <T>(event: 'ledger:prove' | 'ledger:witness-alarm', payload: unknown): Promise<Ack<T>> =>
      (await socket.timeout(WITNESS_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<T>;
    const link: WitnessLink = {
      prove: (request) => ask('ledger:prove', request),
      reportWitnessAlarm: (alarm) => ask('ledger:witness-alarm', alarm),
    };
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
    alarm: () => state?.alarm ?? null,
  };
}
