/**
 * The kiosk as a witness of the town's ledger (controller/protocol/witness.ts):
 * on every connect it asks the controller to prove that its ledger extends the
 * signed checkpoint this kiosk last accepted, checks each link itself, and
 * keeps the newer checkpoint. A mismatch raises an alarm that stays in this
 * kiosk's storage and on its screen, and is told to the controller on every
 * connect; the controller cannot clear it.
 *
 * The crypto is pure JavaScript (@noble): kiosks are served over plain HTTP
 * on the village network, where browsers give no `crypto.subtle`.
 */
import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  EMPTY_WITNESS,
  type WitnessCrypto,
  type WitnessLink,
  type WitnessState,
  keptWitnessFault,
  unreadableCheckpointAlarm,
  witnessRound,
} from '@protocol';

ed.hashes.sha512 = sha512;

const base64Bytes = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** An Ed25519 SPKI public key is a fixed 12-byte header and the 32 key bytes. */
function rawPublicKey(pem: string): Uint8Array {
  const der = base64Bytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
  if (der.length !== 44) throw new Error('not an Ed25519 public key');
  return der.subarray(12);
}

export const browserWitnessCrypto: WitnessCrypto = {
  sha256Hex: (text) => bytesToHex(sha256(utf8ToBytes(text))),
  verifyEd25519: (message, signature, publicKeyPem) => ed.verify(base64Bytes(signature), utf8ToBytes(message), rawPublicKey(publicKeyPem)),
};

export type { WitnessLink };

/** The part of Web Storage the witness uses. */
export interface WitnessStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const keyOf = (deviceId: string): string => `gongshi.witness.${deviceId}`;

/** The alarm of a kiosk whose saved checkpoint cannot be used, naming where it is kept and what staff do. */
const unreadable = (deviceId: string, now: number) =>
  unreadableCheckpointAlarm(
    `本触摸屏保存的账本检查点（浏览器存储 ${keyOf(deviceId)}）已损坏或无法读取：本机不再核对账本，也不接受新的检查点。请工作人员按运维手册第 12 节核对镇级账本后，重置本机浏览器存储并重新配对。` +
      `This kiosk's saved ledger checkpoint (browser storage ${keyOf(deviceId)}) is damaged or cannot be read: it no longer checks the ledger nor takes a new checkpoint. Staff: check the town ledger (docs/OPERATIONS.md §12), then reset this kiosk's browser storage and pair it again.`,
    now,
  );

/**
 * The state this kiosk kept: nothing held when there is none (a new kiosk, or one reset by staff). What is there
 * but cannot be read or does not hold together is never taken as nothing held (that would forget the checkpoint or
 * an alarm and accept a rewritten ledger afresh): it is the `checkpoint-unreadable` alarm, until staff reset it.
 */
export function loadWitness(store: WitnessStore | null, deviceId: string, now: () => number = Date.now): WitnessState {
  let text: string | null | undefined;
  try {
    text = store?.getItem(keyOf(deviceId));
  } catch {
    return { ...EMPTY_WITNESS, alarm: unreadable(deviceId, now()) };
  }
  if (text == null) return EMPTY_WITNESS;
  try {
    const saved: unknown = JSON.parse(text);
    if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) throw new Error('not an object');
    const state: WitnessState = { ...EMPTY_WITNESS, ...(saved as Partial<WitnessState>) };
    if (keptWitnessFault(state, browserWitnessCrypto)) throw new Error('does not hold together');
    return state;
  } catch {
    return { ...EMPTY_WITNESS, alarm: unreadable(deviceId, now()) };
  }
}

export function saveWitness(store: WitnessStore | null, deviceId: string, state: WitnessState): void {
  try {
    store?.setItem(keyOf(deviceId), JSON.stringify(state));
  } catch {
    // Storage full or refused: the next connect starts from the last state saved.
  }
}

/** localStorage where the browser allows it. */
export function browserWitnessStore(): WitnessStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * One round after a connect (protocol/witness.ts `witnessRound`): proofs page by page up to the controller's head,
 * then (if an alarm stands, new or old) the report of it. Returns the state, saved as it goes.
 */
export async function runWitness(deps: {
  link: WitnessLink;
  store: WitnessStore | null;
  deviceId: string;
  now: () => number;
  crypto?: WitnessCrypto;
}): Promise<WitnessState> {
  const round = await witnessRound({
    link: deps.link,
    state: loadWitness(deps.store, deps.deviceId, deps.now),
    save: (state) => saveWitness(deps.store, deps.deviceId, state),
    crypto: deps.crypto ?? browserWitnessCrypto,
    now: deps.now,
  });
  return round.state;
}
