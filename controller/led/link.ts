/**
 * The supervisor of one serial port (led-protocols.md §4, §6.1): it owns the
 * port, sends one request at a time, waits for the answer with a timeout
 * derived from wire time, retries with the same frame, backs off when a sign
 * is busy, and reconnects with exponential backoff after the port closes.
 * Several signs share it by address (RS-485 multi-drop).
 *
 * The binding is injected (serialport's own in production, MockBinding in unit
 * tests, the real binding on a socat pty in integration tests, a TCP socket for
 * `tcp://host:port`, see transport/tcp.ts). Reconnecting checks that the device
 * path exists; it never calls `SerialPort.list()`, which needs udev. What the
 * signs send back is read by the protocol's {@link AnswerReader}; the link
 * knows no framing. Every frame is logged at debug, as hex and decoded.
 */
import { existsSync } from 'node:fs';
import { SerialPortStream } from '@serialport/stream';
import type { LinkState, SignCounters } from '../domain/signs.js';
import type { Logger } from '../logger.js';
import { createSerial } from '../util/serial.js';
import { hex } from './bx/frame.js';
import { LinkDownError, SignError, SignTimeoutError, nackError, SignBusyError, SignCrcError } from './errors.js';

/** The OS layer serialport talks through (bindings-cpp, MockBinding, …), as @serialport/stream types it. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
  /** Drop DTR on close (serialport's default). Some signs reset on DTR (led-protocols.md §8 risk 7). */
  hupcl: boolean;
  /** DTR level to set after opening; null leaves it as the driver opened it. */
  dtr: boolean | null;
}

export interface LinkTuning {
  /** Added to the wire time of request and answer: the card's time to act on a frame. */
  processingBudgetMs: number;
  /** Further attempts after a timeout or a CRC NACK, with the same frame. */
  retries: number;
  /** Attempts allowed while the sign answers busy (error 3), each after a longer pause. */
  busyRetries: number;
  busyBackoffMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Silence between frames, in character times (RS-485 turnaround). */
  interFrameGapChars: number;
  /**
   * Close and reopen the port after this many requests in a row ran out of retries without a byte
   * coming back (0 = never). For TCP: a DTU whose carrier dropped leaves a socket that looks open.
   */
  reopenAfterSilentFailures: number;
}

export const DEFAULT_TUNING: LinkTuning = {
  processingBudgetMs: 1000,
  retries: 2,
  busyRetries: 5,
  busyBackoffMs: 300,
  reconnectInitialMs: 1000,
  reconnectMaxMs: 30_000,
  interFrameGapChars: 4,
  reopenAfterSilentFailures: 0,
};

/** A BX ACK/NACK is 8 + 14 + 5 + 2 + 1 = 30 bytes, plus room for an escaped CRC byte or two. */
const REPLY_BYTES = 32;

/** What a sign sent, as the protocol's reader decoded it. */
export type LineEvent =
  | { kind: 'answer'; from: number; ack: boolean; error: number; raw: Buffer; describe: string }
  | { kind: 'other'; from: number; raw: Buffer; describe: string }
  | { kind: 'bad'; reason: string; raw: Buffer }
  | { kind: 'noise'; bytes: number };

/** Turns the bytes signs send into {@link LineEvent}s (one per port, fresh after every reopen). Never throws. */
export interface AnswerReader {
  push(chunk: Buffer): LineEvent[];
}

/** What one request cost on the wire: counted per request, so overlapping requests never count each other's frames. */
export type RequestTally = Omit<SignCounters, 'reconnects' | 'restores'>;

export const emptyTally = (): RequestTally => ({ framesSent: 0, acks: 0, nacks: 0, timeouts: 0, retries: 0, busy: 0 });

export interface LinkRequest {
  frame: Buffer;
  /** For the log: what the frame asks. */
  describe: string;
  /** The sign address whose ACK completes the request; null = no answer expected (EQ, broadcast). */
  replyFrom: number | null;
  /** Filled in as the request goes, also when it fails: frames sent, answers, timeouts, retries, busy. */
  tally?: RequestTally;
}

export interface LinkResult {
  attempts: number;
  bytes: number;
  at: number;
  answered: boolean;
}

/** The sign's counters as far as the link sees them (restores are the driver's), plus frames it could not match or decode. */
export interface LinkStats extends Omit<SignCounters, 'restores'> {
  strayFrames: number;
  badFrames: number;
}

export interface SerialLink {
  readonly path: string;
  readonly settings: Readonly<SerialSettings>;
  state(): LinkState;
  start(): Promise<void>;
  stop(): Promise<void>;
  request(request: LinkRequest): Promise<LinkResult>;
  /** Wire time of `bytes` at this port's settings, in ms. */
  wireMs(bytes: number): number;
  /** The timeout used for a request of `bytes` that waits for an answer. */
  timeoutFor(bytes: number): number;
  onState(listener: (state: LinkState, reason: string) => void): () => void;
  stats(): Readonly<LinkStats>;
}

export interface SerialLinkDeps {
  settings: SerialSettings;
  binding: SerialBinding;
  logger: Logger;
  now?: () => number;
  tuning?: Partial<LinkTuning>;
  /** How to check that the device is there before opening; fs.existsSync by default. */
  pathExists?: (path: string) => boolean;
  /** Reads what the signs send; null for a protocol that never answers (requests must not ask for one). */
  answers: (() => AnswerReader) | null;
  /** The protocol's address for every sign on the line, which must never be asked for an answer. */
  broadcastAddress?: number;
}

export function bitsPerChar(s: Pick<SerialSettings, 'dataBits' | 'parity' | 'stopBits'>): number {
  return 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits;
}

/** Wire time of `bytes` characters, ms: bytes × bits per character ÷ baud. */
export function wireTimeMs(bytes: number, s: Pick<SerialSettings, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>): number {
  return (bytes * bitsPerChar(s) * 1000) / s.baudRate;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Pending {
  address: number;
  resolve: (answer: { ack: boolean; error: number } | 'down') => void;
}

/**
 * @example
 * const link = createSerialLink({ settings, binding: SerialPort.binding, logger });
 * await link.start();
 * await link.request({ frame, describe: 'ping', replyFrom: 1 });
 */
export function createSerialLink(deps: SerialLinkDeps): SerialLink {
  const { settings, logger } = deps;
  const tuning: LinkTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const now = deps.now ?? Date.now;
  const pathExists = deps.pathExists ?? existsSync;
  const serial = createSerial();
  const listeners = new Set<(state: LinkState, reason: string) => void>();
  const stats: LinkStats = {
    framesSent: 0,
    acks: 0,
    nacks: 0,
    timeouts: 0,
    retries: 0,
    busy: 0,
    reconnects: 0,
    strayFrames: 0,
    badFrames: 0,
  };
  let state: LinkState = 'stopped';
  let port: SerialPortStream | null = null;
  let pending: Pending | null = null;
  const newReader = (): AnswerReader | null => deps.answers?.() ?? null;
  let reader = newReader();
  /** Requests in a row that ran out of retries with nothing heard on the line (see `reopenAfterSilentFailures`). */
  let silentFailures = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = tuning.reconnectInitialMs;
  /**
   * The back-off starts over only once a reopened port has proved itself: a byte heard on it, or the port still
   * open after the longest wait. Opening alone is no proof: a device server or DTU whose serial side is dead accepts
   * the connection and resets it, and starting over at every accept would hammer it at the first delay for ever.
   */
  let proving: NodeJS.Timeout | null = null;
  const proven = (): void => {
    if (proving) clearTimeout(proving);
    proving = null;
    reconnectDelay = tuning.reconnectInitialMs;
  };
  let everUp = false;
  let stopped = true;

  const wireMs = (bytes: number) => wireTimeMs(bytes, settings);
  const timeoutFor = (bytes: number) => Math.ceil(wireMs(bytes) + wireMs(REPLY_BYTES) + tuning.processingBudgetMs);

  function setState(next: LinkState, reason: string): void {
    if (state === next) return;
    state = next;
    logger.info(`link ${settings.path} ${next}: ${reason}`);
    for (const listener of listeners) listener(next, reason);
  }

  function onData(chunk: Buffer): void {
    logger.debug(() => `← ${settings.path} ${chunk.length} B [${hex(chunk)}]`);
    silentFailures = 0;
    if (proving) proven();
    if (!reader) {
      logger.debug(`← ${settings.path}: ${chunk.length} byte(s) from a protocol that never answers, ignored`);
      return;
    }
    for (const event of reader.push(chunk)) {
      if (event.kind === 'noise') {
        logger.debug(`← ${settings.path} skipped ${event.bytes} byte(s) of line noise`);
        continue;
      }
      if (event.kind === 'bad') {
        stats.badFrames++;
        logger.debug(`← ${settings.path} dropped a frame (${event.reason}) [${hex(event.raw)}]`);
        continue;
      }
      logger.debug(() => `← ${settings.path} from ${event.from}: ${event.describe} [${hex(event.raw)}]`);
      if (event.kind !== 'answer' || !pending || pending.address !== event.from) {
        stats.strayFrames++;
        continue;
      }
      const answer = pending;
      pending = null;
      answer.resolve({ ack: event.ack, error: event.error });
    }
  }

  /** Idempotent: a failed write can close a port twice (close(), then close(DisconnectedError)). */
  function onClosed(closed: SerialPortStream, reason: string): void {
    if (closed !== port) return;
    port = null;
    if (proving) clearTimeout(proving);
    proving = null;
    closed.removeAllListeners('data');
    const answer = pending;
    pending = null;
    answer?.resolve('down');
    if (stopped) return;
    setState('down', reason);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = reconnectDelay;
    reconnectDelay = Math.min(tuning.reconnectMaxMs, reconnectDelay * 2);
    logger.debug(`link ${settings.path}: next open attempt in ${delay} ms`);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    if (stopped || port) return;
    if (!pathExists(settings.path)) {
      setState('down', `${settings.path} does not exist`);
      scheduleReconnect();
      return;
    }
    setState('connecting', everUp ? 'reopening' : 'opening');
    const candidate = new SerialPortStream({
      binding: deps.binding,
      path: settings.path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      hupcl: settings.hupcl,
      autoOpen: false,
    });
    try {
      await new Promise<void>((resolve, reject) => candidate.open((error) => (error ? reject(error) : resolve())));
      if (settings.dtr !== null) {
        const dtr = settings.dtr;
        await new Promise<void>((resolve, reject) => candidate.set({ dtr }, (error) => (error ? reject(error) : resolve())));
      }
    } catch (error) {
      logger.warn(`could not open ${settings.path}`, { error });
      if (candidate.isOpen) candidate.close();
      setState('down', `open failed: ${error instanceof Error ? error.message : String(error)}`);
      scheduleReconnect();
      return;
    }
    if (stopped) {
      candidate.close();
      return;
    }
    port = candidate;
    reader = newReader();
    silentFailures = 0;
    candidate.on('data', onData);
    candidate.on('error', (error) => logger.warn(`serial error on ${settings.path}`, { error }));
    candidate.on('close', (error?: Error | null) => onClosed(candidate, error ? `closed: ${error.message}` : 'closed'));
    if (proving) clearTimeout(proving);
    proving = setTimeout(proven, tuning.reconnectMaxMs);
    proving.unref();
    if (everUp) stats.reconnects++;
    everUp = true;
    setState('up', 'opened');
  }

  /** Resolves once the frame is handed to the OS; rejects if the port fails or closes first (a closing port may never call back). */
  function write(current: SerialPortStream, frame: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onClose = () => reject(new LinkDownError(settings.path, 'closed while writing'));
      current.once('close', onClose);
      const done = (error?: Error | null) => {
        current.off('close', onClose);
        if (error) reject(new LinkDownError(settings.path, `write failed: ${error.message}`, { cause: error }));
        else resolve();
      };
      if (!current.isOpen) return done(new Error('port is not open'));
      current.write(frame, (error) => (error ? done(error) : current.drain((drainError) => done(drainError))));
    });
  }

  function awaitAnswer(address: number, timeoutMs: number): Promise<{ ack: boolean; error: number } | 'down' | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (pending?.address === address) pending = null;
        resolve('timeout');
      }, timeoutMs);
      pending = {
        address,
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
    });
  }

  /** When the line has been quiet long enough for the next frame (RS-485 turnaround). */
  let quietAt = 0;
  const markBusyLine = () => {
    quietAt = performance.now() + wireMs(tuning.interFrameGapChars);
  };
  async function waitForQuiet(): Promise<void> {
    const wait = quietAt - performance.now();
    if (wait > 0) await sleep(wait);
  }

  async function exchange(request: LinkRequest): Promise<LinkResult> {
    const tally = request.tally ?? emptyTally();
    const count = (key: keyof RequestTally) => {
      stats[key]++;
      tally[key]++;
    };
    let attempts = 0;
    let busyCount = 0;
    const timeoutMs = timeoutFor(request.frame.length);
    for (;;) {
      await waitForQuiet();
      const current = port;
      if (!current || state !== 'up') throw new LinkDownError(settings.path, state === 'stopped' ? 'stopped' : 'not connected');
      attempts++;
      count('framesSent');
      const target = request.replyFrom === null ? 'all (no answer)' : String(request.replyFrom);
      logger.debug(() => `→ ${settings.path} to ${target} #${attempts}: ${request.describe} [${hex(request.frame)}]`);
      if (request.replyFrom === null) {
        await write(current, request.frame);
        // drain() returns when the OS has the bytes; on a pty or a USB adapter that is before they are on the wire.
        await sleep(wireMs(request.frame.length));
        markBusyLine();
        return { attempts, bytes: request.frame.length, at: now(), answered: false };
      }
      // The answer may arrive before write's callback: listen first.
      const answered = awaitAnswer(request.replyFrom, timeoutMs);
      await write(current, request.frame).catch((error: unknown) => {
        pending?.resolve('down');
        throw error;
      });
      const answer = await answered;
      if (answer === 'down') throw new LinkDownError(settings.path, 'closed while waiting for an answer');
      if (answer === 'timeout') {
        count('timeouts');
        logger.debug(`⌛ ${settings.path}: no answer from ${request.replyFrom} within ${timeoutMs} ms (attempt ${attempts})`);
        if (attempts > tuning.retries + busyCount) {
          silentFailures++;
          if (tuning.reopenAfterSilentFailures > 0 && silentFailures >= tuning.reopenAfterSilentFailures && port === current) {
            logger.info(`link ${settings.path}: ${silentFailures} request(s) in a row unanswered with the line silent: reopening it`);
            silentFailures = 0;
            current.close();
          }
          throw new SignTimeoutError(request.replyFrom, attempts - busyCount, timeoutMs);
        }
        count('retries');
        continue;
      }
      markBusyLine();
      if (answer.ack) {
        count('acks');
        return { attempts, bytes: request.frame.length, at: now(), answered: true };
      }
      count('nacks');
      const error = nackError(answer.error, request.replyFrom);
      if (error instanceof SignBusyError) {
        count('busy');
        busyCount++;
        if (busyCount > tuning.busyRetries) throw error;
        const pause = tuning.busyBackoffMs * busyCount;
        logger.debug(`${settings.path}: sign ${request.replyFrom} busy, retrying in ${pause} ms`);
        await sleep(pause);
        continue;
      }
      if (error instanceof SignCrcError && attempts <= tuning.retries + busyCount) {
        count('retries');
        continue;
      }
      throw error;
    }
  }

  return {
    path: settings.path,
    settings,
    state: () => state,
    wireMs,
    timeoutFor,
    stats: () => ({ ...stats }),
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      await connect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      if (proving) clearTimeout(proving);
      proving = null;
      const current = port;
      port = null;
      pending?.resolve('down');
      pending = null;
      setState('stopped', 'stopped');
      if (current?.isOpen) await new Promise<void>((resolve) => current.close(() => resolve()));
      await serial(() => Promise.resolve());
    },
    request(request) {
      if (request.replyFrom !== null && request.replyFrom === deps.broadcastAddress) {
        return Promise.reject(
          new SignError(
            'invalid_argument',
            `broadcast frames (${deps.broadcastAddress}) must not ask for an answer: send them with replyFrom null`,
          ),
        );
      }
      if (request.replyFrom !== null && !deps.answers) {
        return Promise.reject(new SignError('invalid_argument', 'this protocol never answers: send its frames with replyFrom null'));
      }
      return serial(() => exchange(request));
    },
  };
}
