/**
 * Signed checkpoints: what is signed, and how a saved checkpoint file is
 * checked. The signed text is the canonical JSON of the checkpoint's facts
 * (`at`, `format`, `headHash`, `seq`, `town`), so a change to any of them, or
 * a signature by another key, fails the check.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type CheckpointExport, type CheckpointSignature, checkpointMessage } from '../protocol/index.js';
import { PUBLIC_KEY_FILE, type SigningKey, fingerprintOf, parsePublicKey, verifySignature } from './keys.js';

type CheckpointFacts = Pick<CheckpointExport, 'format' | 'town' | 'seq' | 'headHash' | 'at'>;

/** The signed text (controller/protocol/witness.ts: devices check it with the same function). */
export { checkpointMessage };

export function signCheckpoint(c: CheckpointFacts, key: Pick<SigningKey, 'publicKeyPem' | 'fingerprint' | 'sign'>): CheckpointSignature {
  return { algorithm: 'Ed25519', publicKey: key.publicKeyPem, fingerprint: key.fingerprint, value: key.sign(checkpointMessage(c)) };
}

export type SignatureCheck = { ok: true; fingerprint: string } | { ok: false; reason: string };

/** Checks the checkpoint's signature with `trustedPublicKeyPem` (never with the key the file itself carries). */
export function checkCheckpointSignature(c: CheckpointExport, trustedPublicKeyPem: string): SignatureCheck {
  if (!c.signature) return { ok: false, reason: 'the checkpoint carries no signature (检查点没有签名)' };
  let key;
  try {
    key = parsePublicKey(trustedPublicKeyPem);
  } catch (error) {
    return { ok: false, reason: `the public key cannot be read: ${(error as Error).message} (公钥无法读取)` };
  }
  const fingerprint = fingerprintOf(key);
  if (!verifySignature(checkpointMessage(c), c.signature.value, key)) {
    return {
      ok: false,
      reason:
        c.signature.fingerprint === fingerprint
          ? `the signature does not match the checkpoint's seq, headHash, at or town: the file was changed after signing (检查点内容在签名后被改动)`
          : `the checkpoint was not signed by the key ${fingerprint}; it names ${c.signature.fingerprint} (签名与所给公钥不符)`,
    };
  }
  return { ok: true, fingerprint };
}

export class CheckpointFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointFileError';
  }
}

/** Reads an exported checkpoint file, naming the first field that is missing or malformed. */
export async function readCheckpointFile(file: string): Promise<CheckpointExport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CheckpointFileError(`${file} is not a readable JSON checkpoint (检查点文件无法读取)`, { cause });
  }
  const c = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const problem = (field: string, want: string) =>
    new CheckpointFileError(`${file}: ${field} must be ${want} (检查点文件字段 ${field} 无效)`);
  if (typeof c.format !== 'string' || !c.format.startsWith('gongshi-ledger-checkpoint/'))
    throw problem('format', 'gongshi-ledger-checkpoint/1');
  if (typeof c.seq !== 'number' || !Number.isInteger(c.seq) || c.seq < 1) throw problem('seq', 'a record number ≥ 1');
  if (typeof c.headHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.headHash)) throw problem('headHash', 'a 64-character SHA-256 hex');
  if (typeof c.at !== 'number' || !Number.isFinite(c.at)) throw problem('at', 'a time in epoch milliseconds');
  if (typeof c.town !== 'string') throw problem('town', 'a string');
  const s = c.signature as Record<string, unknown> | undefined;
  if (s !== undefined) {
    if (typeof s !== 'object' || s === null) throw problem('signature', 'an object');
    if (s.algorithm !== 'Ed25519') throw problem('signature.algorithm', 'Ed25519');
    for (const field of ['publicKey', 'fingerprint', 'value'] as const) {
      if (typeof s[field] !== 'string') throw problem(`signature.${field}`, 'a string');
    }
  }
  return c as unknown as CheckpointExport;
}

/**
 * For `ledger:verify --checkpoint <file> [--public-key <pem>]`: reads the
 * saved checkpoint and checks its signature with the key the auditor trusts
 * (`--public-key`), or else the data directory's own public key. Returns the
 * seq and head hash the chain must still pass through.
 */
export async function checkSavedCheckpoint(
  file: string,
  dataDir: string,
  publicKeyFile: string | undefined,
): Promise<
  { ok: true; against: { seq: number; headHash: string }; fingerprint: string; keyFile: string } | { ok: false; message: string }
> {
  const keyFile = publicKeyFile ?? path.join(dataDir, PUBLIC_KEY_FILE);
  let checkpoint: CheckpointExport;
  let pem: string;
  try {
    checkpoint = await readCheckpointFile(file);
    pem = await readFile(keyFile, 'utf8');
  } catch (error) {
    return { ok: false, message: error instanceof CheckpointFileError ? error.message : `${keyFile} cannot be read (公钥文件无法读取)` };
  }
  const check = checkCheckpointSignature(checkpoint, pem);
  if (!check.ok) return { ok: false, message: `checkpoint signature INVALID (检查点签名无效): ${check.reason}` };
  return { ok: true, against: { seq: checkpoint.seq, headHash: checkpoint.headHash }, fingerprint: check.fingerprint, keyFile };
}
