/**
 * LED signs as the domain sees them: what a sign is asked to show, the
 * `SignDriver` port every protocol implements (Onbon BX-5K/6K, EQ2013-F/EQ2023,
 * the fake), and the pure bookkeeping that turns what drivers report into
 * proof-of-display intervals for the ledger.
 *
 * Drivers live in `controller/led/`; the domain owns only the interface, so the
 * signs service can be tested with the fake and run with any protocol.
 */
import type { SignCounters } from '../protocol/signProfile.js';

export type { SignCounters };

/**
 * How strong the evidence is that a sign showed something: `acknowledged` = the
 * sign answered the frame with an ACK (BX); `sent` = the bytes left the port and
 * the protocol has no answer (EQ).
 */
export type ProofLevel = 'acknowledged' | 'sent';

export type SignLayout = 'pages' | 'scroll';

export type SignColour = 'red' | 'green' | 'yellow';

/** What one sign should show now: one playlist item, an emergency, or a test pattern. */
export interface SignContent {
  /** What is on screen, for the ledger: a notice version's content hash, or a system key such as `test-pattern`. */
  key: string;
  /** The text as the sign shows it (already laid out for its geometry where pages are wanted). */
  text: string;
  layout: SignLayout;
  /** Seconds each page stays (pages) or ignored (scroll). */
  stayTimeSec: number;
  /** 0 fastest … 24 slowest, the BX scale; EQ maps it to its own. */
  speed: number;
  colour: SignColour;
}

export type LinkState = 'connecting' | 'up' | 'down' | 'stopped';

/** Why a display interval ended. */
export type DisplayEndReason = 'replaced' | 'cleared' | 'link-lost' | 'unreachable' | 'power-off' | 'stopped';

export type SignEvent =
  | { type: 'displayed'; signId: string; key: string; text: string; proof: ProofLevel; at: number }
  | { type: 'cleared'; signId: string; at: number; reason: Exclude<DisplayEndReason, 'replaced'> }
  | { type: 'link'; signId: string; state: 'up' | 'down'; at: number; reason: string }
  | { type: 'reachable'; signId: string; reachable: boolean; at: number }
  | { type: 'error'; signId: string; at: number; code: string; message: string };

export interface SignStatus {
  signId: string;
  link: LinkState;
  /** False after a request ran out of retries; true again after the next answer. */
  reachable: boolean;
  lastAckAt: number | null;
  /**
   * What the sign is believed to show: the content it last acknowledged (or was last sent, for a protocol
   * without answers), null when clear or unknown. A change it has not acknowledged yet does not replace
   * it: that is {@link SignStatus.pending}.
   */
  showing: { key: string; text: string; proof: ProofLevel; since: number } | null;
  /** A show or clear sent but not acknowledged (the sign went silent, or refused it): the sign still shows `showing`. */
  pending: SignPending | null;
  /** What the sign should show; re-sent after a reconnect or reboot. */
  desired: SignContent | null;
  power: boolean;
  brightness: number;
  counters: SignCounters;
  lastError: { code: string; message: string; at: number } | null;
}

export type SignPending = { change: 'show'; key: string; text: string; since: number } | { change: 'clear'; since: number };

/** Result of a delivered frame. */
export interface Delivery {
  proof: ProofLevel;
  at: number;
  /** Attempts the frame took (1 = first try). */
  attempts: number;
  /** Bytes on the wire for the final attempt. */
  bytes: number;
}

/**
 * One sign. Every method resolves once the sign acknowledged (or, for protocols
 * without an answer, once the bytes are out) and rejects with a typed
 * `SignError` otherwise. `show` remembers the content as desired state even
 * when delivery fails, so a reconnect or a detected reboot re-sends it.
 */
export interface SignDriver {
  readonly id: string;
  readonly proofLevel: ProofLevel;
  show(content: SignContent): Promise<Delivery>;
  clear(): Promise<Delivery>;
  /** 0–15. */
  setBrightness(level: number): Promise<Delivery>;
  setPower(on: boolean): Promise<Delivery>;
  syncClock(at: number): Promise<Delivery>;
  ping(): Promise<Delivery>;
  /** Ping, clock sync, re-send the desired content (after a reconnect or a reboot). */
  restore(): Promise<void>;
  status(): SignStatus;
  subscribe(listener: (event: SignEvent) => void): () => void;
}

export function emptyCounters(): SignCounters {
  return { framesSent: 0, acks: 0, nacks: 0, timeouts: 0, retries: 0, busy: 0, reconnects: 0, restores: 0 };
}

/** A finished display interval, as it goes to the ledger. */
export interface DisplayInterval {
  signId: string;
  key: string;
  start: number;
  end: number;
  proof: ProofLevel;
  endReason: DisplayEndReason;
}

export interface OpenInterval {
  key: string;
  start: number;
  proof: ProofLevel;
}

/** Open intervals by sign id. */
export type ProofState = Readonly<Record<string, OpenInterval>>;

/**
 * Folds one driver event into the open intervals: a display (re)starts the
 * sign's interval and closes the previous one unless it is the same content at
 * the same proof level (a periodic EQ re-send or an idempotent re-send keeps
 * one interval); a clear, a lost link or an unreachable sign closes it. Pure.
 *
 * @example
 * const { state, closed } = applySignEvent({}, { type: 'displayed', signId: 's1', key: 'h', text: 't', proof: 'sent', at: 1 });
 */
export function applySignEvent(state: ProofState, event: SignEvent): { state: ProofState; closed: DisplayInterval[] } {
  const open = state[event.signId];
  const close = (reason: DisplayEndReason, at: number): DisplayInterval[] =>
    open
      ? [{ signId: event.signId, key: open.key, start: open.start, end: Math.max(open.start, at), proof: open.proof, endReason: reason }]
      : [];
  const without = (): ProofState => {
    const next = { ...state };
    delete next[event.signId];
    return next;
  };
  switch (event.type) {
    case 'displayed': {
      if (open && open.key === event.key && open.proof === event.proof) return { state, closed: [] };
      return {
        state: { ...state, [event.signId]: { key: event.key, start: event.at, proof: event.proof } },
        closed: close('replaced', event.at),
      };
    }
    case 'cleared':
      return { state: without(), closed: close(event.reason, event.at) };
    case 'link':
      return event.state === 'down' ? { state: without(), closed: close('link-lost', event.at) } : { state, closed: [] };
    case 'reachable':
      return event.reachable ? { state, closed: [] } : { state: without(), closed: close('unreachable', event.at) };
    case 'error':
      return { state, closed: [] };
  }
}
