/**
 * Restores a backup made by {@link createBackup}: unpack into a temporary
 * directory beside the target, check every file against the manifest
 * (SHA-256 and size, nothing missing, nothing extra), recompute the ledger's
 * hash chain and check it ends at the manifest's head, and only then rename
 * the directory into place. Any failure removes the temporary directory and
 * leaves the target exactly as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { CURRENT_SCHEMA_VERSION } from '../store/migrations.js';
import { verifyLedger } from '../store/verify.js';
import { BACKUP_FORMAT, type BackupManifest, MANIFEST_NAME } from './backup.js';
import { inspectLock } from './lock.js';
import { readTar } from './tar.js';

export class RestoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

const SAFE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

async function syncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Unpacks the archive into `into`, returning the manifest and what each file really hashed to. */
async function unpack(
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
      const parts: Buffer[] = [];
      for await (const chunk of entry.chunks) parts.push(chunk);
      manifestText = Buffer.concat(parts).toString('utf8');
      continue;
    }
    if (!SAFE_PATH.test(entry.name))
      throw new RestoreError(`the archive holds an unsafe path ${JSON.stringify(entry.name)} (备份中含有不安全的路径)`);
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
  for (const dir of [...dirs].sort().reverse()) await syncPath(dir);
  return { manifest, actual };
}

/** Every file the manifest lists is there with its size and SHA-256, and nothing else is. */
function checkFiles(manifest: BackupManifest, actual: Map<string, { bytes: number; sha256: string }>): void {
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
async function checkContents(dir: string, manifest: BackupManifest): Promise<void> {
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

async function entriesOf(dir: string): Promise<string[] | null> {
  return readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

/**
 * Restores `archive` into `dataDir`. Refuses while a controller holds
 * `dataDir`, and refuses a non-empty `dataDir` unless `force`; with `force`
 * the old directory is kept beside it as `<dataDir>.before-restore-<time>`.
 */
export async function restoreBackup(opts: {
  archive: string;
  dataDir: string;
  force?: boolean;
  now?: () => number;
}): Promise<{ manifest: BackupManifest; movedAside: string | null; records: number }> {
  const target = path.resolve(opts.dataDir);
  const lock = await inspectLock(target);
  if (lock.state === 'held') {
    throw new RestoreError(
      `a Gongshi controller (pid ${lock.info.pid} on ${lock.info.host}) is running on ${target}; stop it before restoring (控制器正在使用该数据目录，请先停止)`,
    );
  }
  const existing = await entriesOf(target);
  if (existing && existing.length > 0 && !opts.force) {
    throw new RestoreError(
      `${target} is not empty; pass --force to replace it (the old directory is kept beside it) (目标数据目录非空，如需覆盖请加 --force)`,
    );
  }
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.restore-${randomUUID().slice(0, 8)}`);
  await mkdir(temp, { mode: 0o700 });
  try {
    let unpacked;
    try {
      unpacked = await unpack(opts.archive, temp);
    } catch (error) {
      if (error instanceof RestoreError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (
        code === 'ENOENT' &&
        !(await open(opts.archive, 'r').then(
          (h) => h.close().then(() => true),
          () => false,
        ))
      ) {
        throw new RestoreError(`${opts.archive} does not exist (备份文件不存在)`, { cause: error });
      }
      throw new RestoreError(
        `${opts.archive} is damaged and cannot be read (${(error as Error).message}); nothing was restored (备份文件已损坏，未做任何恢复)`,
        { cause: error },
      );
    }
    checkFiles(unpacked.manifest, unpacked.actual);
    await checkContents(temp, unpacked.manifest);
    let movedAside: string | null = null;
    if (existing && existing.length > 0) {
      const stamp = new Date((opts.now ?? Date.now)())
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      movedAside = `${target}.before-restore-${stamp}`;
      await rename(target, movedAside);
    } else if (existing) {
      await rmdir(target);
    }
    await rename(temp, target);
    await syncPath(path.dirname(target));
    return { manifest: unpacked.manifest, movedAside, records: unpacked.manifest.ledger.seq };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
