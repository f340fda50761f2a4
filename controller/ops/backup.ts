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
 *   bytes are copied: the archive ends at the head seq/hash read from the last
 *   copied line, whatever is appended meanwhile.
 * - Photos are stored under their content hash and never change.
 * Left out: `aggregates/` (rebuilt from the ledger at start when missing),
 * `backups/` (no backups of backups), the lock file and temporary files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { GENESIS_HASH } from '../store/ledger.js';
import { CURRENT_SCHEMA_VERSION } from '../store/migrations.js';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from './keys.js';
import { TRAILER, fileHeader, padding } from './tar.js';

export const MANIFEST_NAME = 'gongshi-backup.json';
export const BACKUP_FORMAT = 'gongshi-backup/1';
export const BACKUPS_DIR = 'backups';

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

/** The byte length of `file`'s whole lines within its first `size` bytes, and the last of those lines. */
async function wholeLines(file: string, size: number): Promise<{ length: number; lastLine: string | null }> {
  const handle = await open(file, 'r');
  try {
    let window = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - window);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const end = buffer.lastIndexOf(0x0a);
      if (end < 0 && start === 0) return { length: 0, lastLine: null };
      if (end >= 0) {
        const before = end === 0 ? -1 : buffer.lastIndexOf(0x0a, end - 1);
        if (before >= 0 || start === 0) return { length: start + end + 1, lastLine: buffer.toString('utf8', before + 1, end) };
      }
      window *= 4;
    }
  } finally {
    await handle.close();
  }
}

async function listFiles(dir: string, filter: RegExp): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((n) => filter.test(n)).sort();
}

/** The last record copied, where it ends in its segment: checked again once the archive is written. */
export interface LedgerTail {
  file: string;
  end: number;
  line: Buffer;
}

/**
 * Whether the segment still holds the last copied record at the same place. A batch whose fsync fails is cut back
 * off the ledger (never acknowledged); if the backup copied it in that moment, the archive would end with records the
 * ledger no longer has. By the time the archive is written any such batch has been cut, so this check catches it.
 */
export async function tailStillThere(tail: LedgerTail): Promise<boolean> {
  const handle = await open(tail.file, 'r');
  try {
    const bytes = Buffer.alloc(tail.line.length);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, tail.end - tail.line.length);
    return bytesRead === bytes.length && bytes.equals(tail.line);
  } finally {
    await handle.close();
  }
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
): Promise<{ members: Member[]; schemaVersion: number; ledger: BackupManifest['ledger']; tail: LedgerTail | null }> {
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
  const segments = await listFiles(ledgerDir, /^\d{4}-\d{2}\.jsonl$/);
  const sizes = await Promise.all(segments.map(async (s) => (await stat(path.join(ledgerDir, s))).size));
  let head = { seq: 0, headHash: GENESIS_HASH };
  let tail: LedgerTail | null = null;
  for (const [i, segment] of segments.entries()) {
    const file = path.join(ledgerDir, segment);
    const info = await stat(file);
    const { length, lastLine } = await wholeLines(file, sizes[i] ?? 0);
    if (lastLine !== null) {
      const record = JSON.parse(lastLine) as { seq: number; hash: string };
      head = { seq: record.seq, headHash: record.hash };
      tail = { file, end: length, line: Buffer.from(`${lastLine}\n`, 'utf8') };
    }
    members.push({ name: `ledger/${segment}`, mode: info.mode & 0o777, mtimeMs: info.mtimeMs, bytes: length, data: { file, length } });
  }

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
  return { members, schemaVersion, ledger: { ...head, segments: segments.length }, tail };
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

/** `gongshi-backup-20261126T091500Z-seq1234.tar.gz` (with an optional label before `seq`). */
export function backupFileName(at: number, seq: number, label = ''): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `gongshi-backup-${stamp}-${label ? `${label}-` : ''}seq${seq}.tar.gz`;
}

/**
 * Writes a backup of `dataDir`. `out` is a directory (the file is named by
 * {@link backupFileName}) or a file path ending in `.tar.gz`; an existing file
 * is never overwritten. The archive holds the signing key, so it is written
 * with mode 0600.
 */
export async function createBackup(opts: {
  dataDir: string;
  out: string;
  gongshiVersion: string;
  now?: () => number;
  label?: string;
}): Promise<{ file: string; manifest: BackupManifest }> {
  const now = opts.now ?? Date.now;
  const createdAt = now();
  const { members, schemaVersion, ledger, tail } = await collect(opts.dataDir);
  const file = opts.out.endsWith('.tar.gz') ? opts.out : path.join(opts.out, backupFileName(createdAt, ledger.seq, opts.label));
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  )
    throw new BackupError(`${file} already exists; not overwriting it (备份文件已存在)`);
  let manifest: BackupManifest | null = null;
  const partial = `${file}.partial`;
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
      createWriteStream(partial, { mode: 0o600 }),
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
    await rename(partial, file);
    const dir = await open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the backup could not be written to ${file}: ${(error as Error).message} (备份写入失败)`, { cause: error });
  }
  if (!manifest) throw new BackupError('the backup ended without its manifest');
  return { file, manifest };
}
