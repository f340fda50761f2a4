/**
 * Devices as witnesses of the ledger. Each kiosk (and village node) keeps the
 * latest signed checkpoint it accepted (seq, head hash, the controller's
 * Ed25519 signature) and the controller's public key as first seen. On every
 * connect it asks the controller to prove that its ledger still extends that
 * checkpoint: the controller sends the records after it (their canonical
 * JSON without `hash`) and a checkpoint signed at the last one, and the device
 * recomputes each link `hash = SHA-256(prevHash + "\n" + record)` from its own
 * head to the signed one (docs: controller/store/verify.ts states the rule).
 *
 * A controller whose ledger ends before the device's checkpoint (truncated),
 * whose records do not lead from it (rewritten after it), or that signs with
 * another key (the key replaced) raises an alarm on the device. The alarm is
 * the device's: it stays in its storage and on its screen, is reported to the
 * controller at every connect, and only a local reset clears it.
 *
 * Pure: SHA-256 and Ed25519 come in through {@link WitnessCrypto} (node:crypto
 * on a village node, @noble in the kiosk's browser).
 */
import { z } from './zod.js';
import type { Ack } from './ack.js';
import type { CheckpointSignature, LedgerIntegrity } from './reports.js';

/** What a witness needs from a crypto library. */
export interface WitnessCrypto {
  /** SHA-256 of the UTF-8 text, lowercase hex. */
  sha256Hex(text: string): string;
  /** Whether `signatureBase64` is an Ed25519 signature of the UTF-8 `message` by the SPKI PEM `publicKeyPem`. */
  verifyEd25519(message: string, signatureBase64: string, publicKeyPem: string): boolean;
}

/** The text a checkpoint's signature covers: canonical JSON of its facts (keys sorted, as controller/ops/checkpoint.ts signs). */
export function checkpointMessage(c: { at: number; format: string; headHash: string; seq: number; town: string }): string {
  return JSON.stringify({ at: c.at, format: c.format, headHash: c.headHash, seq: c.seq, town: c.town });
}

/** A signed point of the chain, as a device keeps it. */
export interface WitnessCheckpoint {
  format: string;
  town: string;
  seq: number;
  headHash: string;
  at: number;
  signature: CheckpointSignature;
}

/**
 * What a device found. The first four are about the controller's ledger; `checkpoint-unreadable` is about the
 * device itself: the checkpoint it kept cannot be read (damaged, cut short, refused by the file system), so it can
 * no longer vouch for the ledger and must not take the controller's word afresh until staff look at it.
 */
export const WITNESS_ALARM_KINDS = ['truncated', 'rewritten', 'key-replaced', 'bad-signature', 'checkpoint-unreadable'] as const;
export type WitnessAlarmKind = (typeof WITNESS_ALARM_KINDS)[number];

export interface WitnessAlarm {
  kind: WitnessAlarmKind;
  /** Chinese first, then English. */
  message: string;
  /** When the device saw it. */
  at: number;
  /** The checkpoint the device held. */
  held: { seq: number; headHash: string; fingerprint: string };
  /** What the controller showed instead. */
  shown: { seq: number; headHash: string; fingerprint: string | null };
}

/** The kinds that say the controller's ledger does not extend what a device saw (not a fault of the device's own). */
export const LEDGER_MISMATCH_KINDS: readonly WitnessAlarmKind[] = ['truncated', 'rewritten', 'key-replaced', 'bad-signature'];

/** The longest alarm message a device may report (the controller refuses longer ones). */
export const WITNESS_MESSAGE_MAX = 1000;

/**
 * The alarm of a device whose kept checkpoint cannot be read: it holds nothing it can check the ledger against,
 * and says so (`message`: Chinese first, then English, naming the file and what staff do).
 */
export function unreadableCheckpointAlarm(message: string, now: number): WitnessAlarm {
  const none = { seq: 0, headHash: '0'.repeat(64) };
  return {
    kind: 'checkpoint-unreadable',
    message: message.slice(0, WITNESS_MESSAGE_MAX),
    at: now,
    held: { ...none, fingerprint: '' },
    shown: { ...none, fingerprint: null },
  };
}

/** A device's standing alarm, as the controller lists it (it cannot clear it: the device reports it on every connect). */
export interface DeviceWitnessAlarm extends WitnessAlarm {
  deviceId: string;
  /** When the controller last heard it. */
  reportedAt: number;
}

/** `GET /api/ledger/integrity`: the controller's own check, and what its devices report. */
export type LedgerIntegrityReport = LedgerIntegrity & { witnessAlarms: DeviceWitnessAlarm[] };

export interface WitnessState {
  checkpoint: WitnessCheckpoint | null;
  /** The controller's public key (SPKI PEM) as first seen, and its fingerprint. */
  publicKey: string | null;
  fingerprint: string | null;
  alarm: WitnessAlarm | null;
}

export const EMPTY_WITNESS: WitnessState = { checkpoint: null, publicKey: null, fingerprint: null, alarm: null };

/** Device → controller: "prove that your ledger extends this" (`seq` 0: the device holds nothing yet). */
export interface ProofRequest {
  seq: number;
  headHash: string;
}

/** Controller → device: the records after the device's seq (at most a page) and a checkpoint signed at the last of them. */
export interface LedgerProof {
  checkpoint: WitnessCheckpoint;
  /** Canonical JSON of each record without its `hash`, in seq order, from the requested seq + 1 to `checkpoint.seq`. */
  records: string[];
  /** More records follow up to the head: ask again from `checkpoint.seq`. */
  more: boolean;
}

/** Records per proof page: a kiosk back after a day offline catches up in a few pages. */
export const PROOF_PAGE = 2_000;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');
export const proofRequest = z.strictObject({
  seq: z.number().int('must be a whole number').min(0, 'must not be negative'),
  headHash: sha256,
});

const signatureSchema = z.strictObject({
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().max(1000),
  fingerprint: z.string().max(200),
  value: z.string().max(200),
});
export const witnessAlarmReport = z.strictObject({
  kind: z.enum(WITNESS_ALARM_KINDS),
  message: z.string().max(WITNESS_MESSAGE_MAX),
  at: z.number().finite(),
  held: z.strictObject({ seq: z.number().int().min(0), headHash: sha256, fingerprint: z.string().max(200) }),
  shown: z.strictObject({ seq: z.number().int().min(0), headHash: sha256, fingerprint: z.string().max(200).nullable() }),
});

/** A checkpoint as received over the wire, checked for shape before anything else. */
export const witnessCheckpoint = z.object({
  format: z.string().max(100),
  town: z.string().max(200),
  seq: z.number().int().min(0),
  headHash: sha256,
  at: z.number().finite(),
  signature: signatureSchema,
});

const normalizePem = (pem: string): string => pem.replace(/\s+/g, '');

export interface WitnessStep {
  state: WitnessState;
  /** A new alarm raised by this proof (the state then holds it). */
  alarm: WitnessAlarm | null;
  /** The device's checkpoint moved forward. */
  advanced: boolean;
}

/**
 * Checks a proof against what the device holds and returns the next state.
 * A device with no checkpoint takes the signed head as its first (and the key
 * it is signed with as the controller's). Once an alarm is raised it stays.
 *
 * @example
 * const step = witnessProof(state, proof, crypto, Date.now());
 * if (step.alarm) report(step.alarm);
 */
export function witnessProof(state: WitnessState, proof: LedgerProof, crypto: WitnessCrypto, now: number): WitnessStep {
  if (state.alarm) return { state, alarm: null, advanced: false };
  const shown = proof.checkpoint;
  const held = state.checkpoint;
  const raise = (kind: WitnessAlarmKind, message: string): WitnessStep => {
    const alarm: WitnessAlarm = {
      kind,
      message,
      at: now,
      held: { seq: held?.seq ?? 0, headHash: held?.headHash ?? '0'.repeat(64), fingerprint: state.fingerprint ?? '' },
      shown: { seq: shown.seq, headHash: shown.headHash, fingerprint: shown.signature?.fingerprint ?? null },
    };
    return { state: { ...state, alarm }, alarm, advanced: false };
  };

  const key = state.publicKey ?? shown.signature?.publicKey ?? '';
  if (state.publicKey && normalizePem(shown.signature.publicKey) !== normalizePem(state.publicKey)) {
    return raise(
      'key-replaced',
      `控制器更换了账本签名密钥（本机记录 ${state.fingerprint ?? '?'}，现为 ${shown.signature.fingerprint}）。The controller signs with another key (${shown.signature.fingerprint}, this device knows ${state.fingerprint ?? '?'}).`,
    );
  }
  let signed: boolean;
  try {
    signed = crypto.verifyEd25519(checkpointMessage(shown), shown.signature.value, key);
  } catch {
    signed = false;
  }
  if (!signed) {
    return raise('bad-signature', `账本检查点签名无效（seq ${shown.seq}）。The checkpoint at seq ${shown.seq} is not validly signed.`);
  }
  if (!held) {
    return {
      state: { checkpoint: shown, publicKey: shown.signature.publicKey, fingerprint: shown.signature.fingerprint, alarm: null },
      alarm: null,
      advanced: true,
    };
  }
  if (shown.seq < held.seq) {
    return raise(
      'truncated',
      `控制器的账本只到第 ${shown.seq} 条，而本机已见过签名的第 ${held.seq} 条：账本被截短。The controller's ledger ends at seq ${shown.seq}, before seq ${held.seq} this device saw signed: it was truncated.`,
    );
  }
  if (proof.records.length !== shown.seq - held.seq) {
    return raise(
      'rewritten',
      `控制器没有给出第 ${held.seq + 1}–${shown.seq} 条记录。The controller did not send the records ${held.seq + 1}–${shown.seq}.`,
    );
  }
  let prev = held.headHash;
  let seq = held.seq;
  for (const body of proof.records) {
    let record: { seq?: unknown; prevHash?: unknown };
    try {
      record = JSON.parse(body) as { seq?: unknown; prevHash?: unknown };
    } catch {
      record = {};
    }
    if (record.seq !== seq + 1 || record.prevHash !== prev) {
      return raise(
        'rewritten',
        `第 ${seq + 1} 条记录不接在本机见过的第 ${held.seq} 条之后：账本在此之后被改写。Record ${seq + 1} does not follow the chain from seq ${held.seq} this device saw: the ledger was rewritten after it.`,
      );
    }
    prev = crypto.sha256Hex(`${prev}\n${body}`);
    seq++;
  }
  if (prev !== shown.headHash) {
    return raise(
      'rewritten',
      `记录链没有通到签名的第 ${shown.seq} 条：账本被改写。The records do not lead to the signed head at seq ${shown.seq}: the ledger was rewritten.`,
    );
  }
  return { state: { ...state, checkpoint: shown }, alarm: null, advanced: shown.seq > held.seq };
}

/** What a device asks for next: from its checkpoint, or from nothing. */
export function proofRequestOf(state: WitnessState): ProofRequest {
  return state.checkpoint ? { seq: state.checkpoint.seq, headHash: state.checkpoint.headHash } : { seq: 0, headHash: '0'.repeat(64) };
}

/**
 * Whether a kept state holds together: a checkpoint comes with the key it was signed with, and that key's
 * signature over it verifies. A state that does not was damaged where it is kept (a flipped byte, a hand edit);
 * checking the ledger from it would blame the controller for the device's fault. Answers what is wrong, or null.
 */
export function keptWitnessFault(state: WitnessState, crypto: WitnessCrypto): string | null {
  const held = state.checkpoint;
  if (!held) return null;
  if (!state.publicKey) return 'a checkpoint without the key it was signed with';
  if (normalizePem(held.signature.publicKey) !== normalizePem(state.publicKey)) return "the checkpoint's key is not the key kept with it";
  let signed: boolean;
  try {
    signed = crypto.verifyEd25519(checkpointMessage(held), held.signature.value, state.publicKey);
  } catch {
    signed = false;
  }
  return signed ? null : `the checkpoint at seq ${held.seq} does not match its own signature`;
}

/** What a witness needs of its link to the controller (a kiosk's or a node's socket). */
export interface WitnessLink {
  prove(request: ProofRequest): Promise<Ack<LedgerProof>>;
  /** The device's alarm, or null: none stands here (the controller lifts what it listed for this device). */
  reportWitnessAlarm(alarm: WitnessAlarm | null): Promise<Ack<null>>;
}

/**
 * One round after a connect, for any device: proofs page by page up to the controller's head (each state handed to
 * `save` before the next page is asked for), then the report of the alarm if one stands, new or old, or, once the
 * controller's head was checked and none stands, the report that none does (a device reset by staff lifts what the
 * controller listed for it). Returns the state and the alarm this round raised (null when none, or when it was
 * already standing).
 */
export async function witnessRound(deps: {
  link: WitnessLink;
  state: WitnessState;
  save: (state: WitnessState) => void | Promise<void>;
  crypto: WitnessCrypto;
  now: () => number;
}): Promise<{ state: WitnessState; raised: WitnessAlarm | null }> {
  let state = deps.state;
  let raised: WitnessAlarm | null = null;
  let checked = false;
  for (let page = 0; !state.alarm && page < 1_000; page++) {
    const ack = await deps.link.prove(proofRequestOf(state));
    if (!ack.ok) break;
    const step = witnessProof(state, ack.data, deps.crypto, deps.now());
    state = step.state;
    raised = step.alarm;
    await deps.save(state);
    if (!ack.data.more) {
      checked = true;
      break;
    }
  }
  if (state.alarm) await deps.link.reportWitnessAlarm(state.alarm);
  else if (checked) await deps.link.reportWitnessAlarm(null);
  return { state, raised };
}
