/**
 * A consistent backup of a data directory, taken while the controller runs:
 * one `.tar.gz` (readable with plain `tar`) whose last member,
 * `gongshi-backup.json`, lists every file with its SHA-256 and the ledger head
 * the archive ends at.
 *
 * Why it is consistent without stopping anything:
 * - state.json, signs.json and the keys are replaced by rename, never written
 *   in place, so one read of the file gives one whole version; they are read
 *   first, into memory.
 * - Ledger segments are only appended to. Their sizes are taken once, each is
 *   cut back to its last newline (a whole record), and exactly that many
 *   bytes are copied, whatever is appended meanwhile. The archive ends only at
 *   a record the controller has acknowledged (durable): see backupLedger.ts
 *   for the rule that proves it from the files.
 * - Photos are stored under their content hash and never change.
 * Left out: `aggregates/` (rebuilt from the ledger at start when missing),
 * `backups/` (no backups of backups), the lock file and temporary files.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { syncDir } from '../store/durableFile.js';
import { CURRENT_SCHEMA_VERSION } from '../store/migrations.js';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from './keys.js';
import { inspectLock } from './lock.js';
import { type CopiedSegment, type LedgerTail, SEGMENT, ledgerEnd, tailStillThere, wholeLength } from './backupLedger.js';
import { TRAILER, fileHeader, padding } from './tar.js';

export { type LedgerTail, tailStillThere } from './backupLedger.js';

export const MANIFEST_NAME = 'gongshi-backup.json';
export const BACKUP_FORMAT = 'gongshi-backup/1';
export const BACKUPS_DIR = 'backups';
/** An archive being written: `.<archive name>.<8 hex>.partial` beside it, renamed (linked) into place when complete. */
export const BACKUP_PARTIAL_NAME = /^\.(.+\.tar\.gz)\.[0-9a-f]{8}\.partial$/;
const partialPath = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID().slice(0, 8)}.partial`);

/** Small files copied whole, as one version each (missing ones are simply absent from the archive). */
const SMALL_FILES = ['state.json', 'signs.json', 'initial-admin-password.txt', 'demo-accounts.txt', PRIVATE_KEY_FILE, PUBLIC_KEY_FILE];
const SKIPPED = [
  { path: 'aggregates/', reason: 'rebuilt from the ledger when the controller starts without it' },
  { path: 'backups/', reason: 'earlier backups are not backed up again' },
  { path: 'controller.lock', reason: 'belongs to the running controller' },
];

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  gongshiVersion: string;
  /** state.json's schema version at backup time, and the version of the code that wrote the backup. */
  schemaVersion: number;
  codeSchemaVersion: number;
  ledger: { seq: number; headHash: string; segments: number };
  files: { path: string; bytes: number; sha256: string }[];
  skipped: { path: string; reason: string }[];
}

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

const posix = (p: string): string => p.split(path.sep).join('/');

async function listFiles(dir: string, filter: RegExp): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((n) => filter.test(n)).sort();
}

interface Member {
  name: string;
  mode: number;
  mtimeMs: number;
  bytes: number;
  /** In-memory content, or a file range to stream. */
  data: Buffer | { file: string; length: number };
}

/** Everything to archive, fixed at this moment: small files read, ledger lengths and head taken, photos listed. */
async function collect(
  dataDir: string,
  live: { proofWaitMs: number } | null,
): Promise<{ members: Member[]; schemaVersion: number; ledger: BackupManifest['ledger']; tail: LedgerTail | null; newest: number }> {
  const members: Member[] = [];
  let schemaVersion = 0;
  for (const name of SMALL_FILES) {
    const file = path.join(dataDir, name);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const info = await stat(file);
    if (name === 'state.json') {
      try {
        schemaVersion = Number((JSON.parse(data.toString('utf8')) as { schemaVersion?: unknown }).schemaVersion);
      } catch (cause) {
        throw new BackupError(`${file} is not valid JSON; nothing was backed up (state.json 已损坏，未生成备份)`, { cause });
      }
    }
    members.push({ name: posix(name), mode: info.mode & 0o777, mtimeMs: info.mtimeMs, bytes: data.length, data });
  }
  if (!members.some((m) => m.name === 'state.json')) {
    throw new BackupError(`${dataDir} holds no state.json: it is not a Gongshi data directory (数据目录中没有 state.json)`);
  }

  const ledgerDir = path.join(dataDir, 'ledger');
  const segments = await listFiles(ledgerDir, SEGMENT);
  const sizes = await Promise.all(segments.map(async (s) => (await stat(path.join(ledgerDir, s))).size));
  const copied: CopiedSegment[] = [];
  for (const [i, segment] of segments.entries()) {
    const file = path.join(ledgerDir, segment);
    const info = await stat(file);
    copied.push({ name: segment, file, length: await wholeLength(file, sizes[i] ?? 0), mode: info.mode & 0o777, mtimeMs: info.mtimeMs });
  }
  const { head, tail, newest } = await ledgerEnd(ledgerDir, copied, live);
  for (const c of copied)
    members.push({ name: `ledger/${c.name}`, mode: c.mode, mtimeMs: c.mtimeMs, bytes: c.length, data: { file: c.file, length: c.length } });

  const photosDir = path.join(dataDir, 'photos');
  for (const name of await listFiles(photosDir, /^[0-9a-f]{64}\.(?:jpg|png|webp)$/)) {
    const file = path.join(photosDir, name);
    const info = await stat(file);
    members.push({
      name: `photos/${name}`,
      mode: info.mode & 0o777,
      mtimeMs: info.mtimeMs,
      bytes: info.size,
      data: { file, length: info.size },
    });
  }
  return { members, schemaVersion, ledger: { ...head, segments: segments.length }, tail, newest };
}

/** The archive's bytes: each member (hashed as it passes), then the manifest, then the end marker. */
async function* tarStream(members: Member[], finish: (files: BackupManifest['files']) => BackupManifest): AsyncGenerator<Buffer> {
  const files: BackupManifest['files'] = [];
  for (const m of members) {
    yield fileHeader(m.name, m.bytes, m.mtimeMs, m.mode);
    const hash = createHash('sha256');
    if (Buffer.isBuffer(m.data)) {
      hash.update(m.data);
      yield m.data;
    } else if (m.data.length > 0) {
      let copied = 0;
      for await (const chunk of createReadStream(m.data.file, { start: 0, end: m.data.length - 1 }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        copied += chunk.length;
        yield chunk;
      }
      if (copied !== m.data.length)
        throw new BackupError(`${m.data.file} shrank while it was being copied (${copied} of ${m.data.length} bytes)`);
    }
    yield padding(m.bytes);
    files.push({ path: m.name, bytes: m.bytes, sha256: hash.digest('hex') });
  }
  const manifest = Buffer.from(`${JSON.stringify(finish(files), null, 2)}\n`, 'utf8');
  yield fileHeader(MANIFEST_NAME, manifest.length, Date.now(), 0o644);
  yield manifest;
  yield padding(manifest.length);
  yield TRAILER;
}

/** `20261126T091500Z`: a UTC time for file names. */
export function compactStamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Whether a backup can hold a member of this name (the small files, ledger segments, photos): anything else is refused on restore. */
export function isBackupMemberName(name: string): boolean {
  return (
    SMALL_FILES.some((f) => posix(f) === name) ||
    /^ledger\/\d{4}-\d{2}\.jsonl$/.test(name) ||
    /^photos\/[0-9a-f]{64}\.(?:jpg|png|webp)$/.test(name)
  );
}

/** `gongshi-backup-20261126T091500Z-seq1234.tar.gz` (with an optional label before `seq`). */
export function backupFileName(at: number, seq: number, label = ''): string {
  return `gongshi-backup-${compactStamp(at)}-${label ? `${label}-` : ''}seq${seq}.tar.gz`;
}

/**
 * Writes a backup of `dataDir`. `out` is a directory (the file is named by
 * {@link backupFileName}) or a file path ending in `.tar.gz`; an existing file
 * is never overwritten: the archive is written to a uniquely named partial
 * file opened exclusively, and put in place with link() (which fails if the
 * name exists) rather than rename(). The archive holds the signing key, so it
 * is written with mode 0600. `ledgerStopped`: no controller is appending (the
 * controller's own start); by default a live lock means the ledger runs.
 */
export async function createBackup(opts: {
  dataDir: string;
  out: string;
  gongshiVersion: string;
  now?: () => number;
  label?: string;
  ledgerStopped?: boolean;
  /** How long to wait for a later batch to prove the last one acknowledged (default 5 s). */
  proofWaitMs?: number;
}): Promise<{
  file: string;
  manifest: BackupManifest;
  /** Whole records seen but left out as not yet proven acknowledged. */ leftOut: number;
}> {
  const now = opts.now ?? Date.now;
  const createdAt = now();
  const stopped = opts.ledgerStopped ?? (await inspectLock(opts.dataDir)).state !== 'held';
  const { members, schemaVersion, ledger, tail, newest } = await collect(
    opts.dataDir,
    stopped ? null : { proofWaitMs: opts.proofWaitMs ?? 5000 },
  );
  const file = opts.out.endsWith('.tar.gz') ? opts.out : path.join(opts.out, backupFileName(createdAt, ledger.seq, opts.label));
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const taken = () => new BackupError(`${file} already exists; not overwriting it (备份文件已存在)`);
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  )
    throw taken();
  let manifest: BackupManifest | null = null;
  const partial = partialPath(file);
  try {
    await pipeline(
      tarStream(members, (files) => {
        manifest = {
          format: BACKUP_FORMAT,
          createdAt: new Date(createdAt).toISOString(),
          gongshiVersion: opts.gongshiVersion,
          schemaVersion,
          codeSchemaVersion: CURRENT_SCHEMA_VERSION,
          ledger,
          files,
          skipped: SKIPPED,
        };
        return manifest;
      }),
      createGzip({ level: 6 }),
      createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
    );
    if (tail && !(await tailStillThere(tail))) {
      throw new BackupError(
        `the ledger's last copied record (seq ${ledger.seq}) was cut off while the backup ran (a failed disk write); run the backup again (账本在备份期间被截断，请重新备份)`,
      );
    }
    const handle = await open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(partial, file).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? taken() : error;
    });
    await rm(partial, { force: true });
    await syncDir(path.dirname(file));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the backup could not be written to ${file}: ${(error as Error).message} (备份写入失败)`, { cause: error });
  }
  if (!manifest) throw new BackupError('the backup ended without its manifest');
  return { file, manifest, leftOut: Math.max(0, newest - ledger.seq) };
}
