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
import { EMPTY_WITNESS, type WitnessCrypto, type WitnessLink, type WitnessState, witnessRound } from '@protocol';

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

export function loadWitness(store: WitnessStore | null, deviceId: string): WitnessState {
  try {
    const text = store?.getItem(keyOf(deviceId));
    return text ? { ...EMPTY_WITNESS, ...(JSON.parse(text) as Partial<WitnessState>) } : EMPTY_WITNESS;
  } catch {
    return EMPTY_WITNESS;
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
    state: loadWitness(deps.store, deps.deviceId),
    save: (state) => saveWitness(deps.store, deps.deviceId, state),
    crypto: deps.crypto ?? browserWitnessCrypto,
    now: deps.now,
  });
  return round.state;
}
