/**
 * The checks a restore makes on an archive before anything is put in place:
 * unpack into a temporary directory (only names a backup can hold, a manifest
 * of bounded size), every file against the manifest (SHA-256 and size, nothing
 * missing, nothing extra), the ledger's hash chain ending at the manifest's
 * head, and a state.json this Gongshi can read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { syncDir } from '../store/durableFile.js';
import { CURRENT_SCHEMA_VERSION } from '../store/migrations.js';
import { verifyLedger } from '../store/verify.js';
import { BACKUP_FORMAT, type BackupManifest, MANIFEST_NAME, isBackupMemberName } from './backup.js';
import { readTar } from './tar.js';

export class RestoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

/** A manifest lists one line per file; 16 MB is far beyond any real one and bounds what a hostile archive can make us buffer. */
export const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

const SAFE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Unpacks the archive into `into`, returning the manifest and what each file really hashed to. */
export async function unpack(
  archive: string,
  into: string,
): Promise<{ manifest: BackupManifest; actual: Map<string, { bytes: number; sha256: string }> }> {
  const actual = new Map<string, { bytes: number; sha256: string }>();
  const dirs = new Set<string>([into]);
  let manifestText: string | null = null;
  const input = createReadStream(archive).pipe(createGunzip());
  for await (const entry of readTar(input)) {
    if (manifestText !== null)
      throw new RestoreError(`${entry.name} comes after the manifest; the archive was altered (清单之后还有文件，备份被改动)`);
    if (entry.name === MANIFEST_NAME) {
      if (entry.size > MANIFEST_MAX_BYTES)
        throw new RestoreError(
          `${MANIFEST_NAME} in the archive is ${entry.size} bytes, more than a manifest can be (${MANIFEST_MAX_BYTES}); not a Gongshi backup (备份清单过大，不是公示系统的备份)`,
        );
      const parts: Buffer[] = [];
      for await (const chunk of entry.chunks) parts.push(chunk);
      manifestText = Buffer.concat(parts).toString('utf8');
      continue;
    }
    if (!SAFE_PATH.test(entry.name))
      throw new RestoreError(`the archive holds an unsafe path ${JSON.stringify(entry.name)} (备份中含有不安全的路径)`);
    if (!isBackupMemberName(entry.name))
      throw new RestoreError(
        `the archive holds ${JSON.stringify(entry.name)}, which no Gongshi backup contains (the lock file, temporary files and unknown names are refused) (备份中含有不应存在的文件 ${entry.name})`,
      );
    if (actual.has(entry.name)) throw new RestoreError(`the archive holds ${entry.name} twice (备份中文件重复)`);
    const target = path.join(into, ...entry.name.split('/'));
    const dir = path.dirname(target);
    if (!dirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      dirs.add(dir);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const handle = await open(target, 'wx', entry.mode & 0o755 || 0o600);
    try {
      for await (const chunk of entry.chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    actual.set(entry.name, { bytes, sha256: hash.digest('hex') });
  }
  if (manifestText === null)
    throw new RestoreError(`${archive} has no ${MANIFEST_NAME}: it is not a Gongshi backup (不是公示系统的备份文件)`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestText) as BackupManifest;
  } catch (cause) {
    throw new RestoreError(`${MANIFEST_NAME} in the archive is not valid JSON (备份清单已损坏)`, { cause });
  }
  for (const dir of [...dirs].sort().reverse()) await syncDir(dir);
  return { manifest, actual };
}

/** Every file the manifest lists is there with its size and SHA-256, and nothing else is. */
export function checkFiles(manifest: BackupManifest, actual: Map<string, { bytes: number; sha256: string }>): void {
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) {
    throw new RestoreError(`the manifest's format is ${JSON.stringify(manifest.format)}, not ${BACKUP_FORMAT} (备份清单格式不符)`);
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const got = actual.get(f.path);
    if (!got) throw new RestoreError(`${f.path} is in the manifest but not in the archive (备份缺少文件 ${f.path})`);
    if (got.bytes !== f.bytes || got.sha256 !== f.sha256) {
      throw new RestoreError(
        `${f.path} does not match the manifest: SHA-256 ${got.sha256} (${got.bytes} bytes), expected ${f.sha256} (${f.bytes} bytes) (文件 ${f.path} 校验失败，备份已损坏或被改动)`,
      );
    }
  }
  for (const name of actual.keys()) {
    if (!listed.has(name)) throw new RestoreError(`${name} is in the archive but not in the manifest (备份中有清单外的文件 ${name})`);
  }
}

/** The ledger chain verifies and ends exactly at the manifest's head; state.json is readable by this Gongshi. */
export async function checkContents(dir: string, manifest: BackupManifest): Promise<void> {
  const result = await verifyLedger(dir);
  if (!result.ok) {
    const b = result.firstBroken;
    throw new RestoreError(
      `the ledger in the backup is broken at ${b.file} line ${b.line} (seq ${b.seq ?? '?'}): ${b.reason} (备份中的公开账本校验失败)`,
    );
  }
  if (result.checkpoint.seq !== manifest.ledger.seq || result.checkpoint.headHash !== manifest.ledger.headHash) {
    throw new RestoreError(
      `the ledger in the backup ends at seq ${result.checkpoint.seq} ${result.checkpoint.headHash}, but the manifest says seq ${manifest.ledger.seq} ${manifest.ledger.headHash} (账本末尾与备份清单不符)`,
    );
  }
  let state: { schemaVersion?: unknown };
  try {
    state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { schemaVersion?: unknown };
  } catch (cause) {
    throw new RestoreError('state.json in the backup is missing or not valid JSON (备份中的 state.json 缺失或损坏)', { cause });
  }
  if (typeof state.schemaVersion !== 'number' || state.schemaVersion > CURRENT_SCHEMA_VERSION) {
    throw new RestoreError(
      `state.json in the backup has schema version ${String(state.schemaVersion)}; this Gongshi reads up to ${CURRENT_SCHEMA_VERSION}: upgrade Gongshi first (备份的数据版本比本程序新，请先升级)`,
    );
  }
}
