/**
 * The controller's checkpoint signing key: an Ed25519 key pair made at the
 * first start and kept in `<data dir>/keys/` (private key mode 0600, directory
 * 0700). The public key is shown to staff and travels with every exported
 * checkpoint, so an auditor can later check that a checkpoint came from this
 * controller. The private key never leaves the data directory except inside a
 * backup, which is why backups are written 0600 as well.
 */
import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { WitnessCrypto } from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';

export const KEYS_DIR = 'keys';
export const PRIVATE_KEY_FILE = path.join(KEYS_DIR, 'checkpoint-signing.key');
export const PUBLIC_KEY_FILE = path.join(KEYS_DIR, 'checkpoint-signing.pub');

export interface SigningKey {
  /** SPKI PEM. */
  publicKeyPem: string;
  fingerprint: string;
  /** Base64 Ed25519 signature over the UTF-8 bytes of `message`. */
  sign(message: string): string;
}

/** `SHA256:` + hex SHA-256 of the public key's DER (SPKI) bytes. */
export function fingerprintOf(publicKey: KeyObject): string {
  return `SHA256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/** Parses a PEM public key, refusing anything but Ed25519. */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  return key;
}

/** Whether `signature` (base64) is `publicKey`'s Ed25519 signature of `message`. */
export function verifySignature(message: string, signature: string, publicKey: KeyObject): boolean {
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(message, 'utf8'), publicKey, bytes);
}

/**
 * Loads the signing key, creating it on the first start. A private key that
 * others can read is narrowed to 0600 (and logged); a missing public key file
 * is derived again from the private key.
 */
export async function ensureSigningKey(dataDir: string, logger: Logger): Promise<SigningKey & { created: boolean }> {
  const privateFile = path.join(dataDir, PRIVATE_KEY_FILE);
  const publicFile = path.join(dataDir, PUBLIC_KEY_FILE);
  await mkdir(path.join(dataDir, KEYS_DIR), { recursive: true, mode: 0o700 });
  let created = false;
  let privatePem = await readFile(privateFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (privatePem === null) {
    const pair = generateKeyPairSync('ed25519');
    privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeFileDurably(privateFile, privatePem, 0o600);
    created = true;
  } else if (((await stat(privateFile)).mode & 0o077) !== 0) {
    await chmod(privateFile, 0o600);
    logger.warn(`${privateFile} was readable by others; narrowed to mode 0600`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privatePem);
  } catch (cause) {
    throw new Error(
      `${privateFile} is not a readable private key; restore keys/ from a backup (检查点签名私钥无法读取，请从备份恢复 keys/ 目录)`,
      { cause },
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${privateFile} is not an Ed25519 key (签名私钥类型不是 Ed25519)`);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const onDisk = await readFile(publicFile, 'utf8').catch(() => null);
  if (onDisk !== publicKeyPem) await writeFileDurably(publicFile, publicKeyPem, 0o644);
  const fingerprint = fingerprintOf(publicKey);
  if (created) logger.info(`created the checkpoint signing key ${privateFile}`, { fingerprint });
  return {
    created,
    publicKeyPem,
    fingerprint,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** The device-witness crypto (controller/protocol/witness.ts) with node:crypto, for a village node and the tests. */
export const nodeWitnessCrypto: WitnessCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text).digest('hex'),
  verifyEd25519: (message, signature, publicKeyPem) => verifySignature(message, signature, parsePublicKey(publicKeyPem)),
};
