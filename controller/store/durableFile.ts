/**
 * Files that survive power loss: write a temporary file, fsync it, rename it
 * over the old one, fsync the directory. lowdb's own JSONFile (steno) renames
 * without fsync, which measured as an empty file after a simulated power cut
 * (docs/reference/perf-reliability.md, T13). Compact JSON: pretty-printing
 * doubled the serialisation time on every write.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** fsyncs a directory, so that a rename or a new file in it survives a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The end of an append-only JSON Lines file, as {@link readLinesTail} finds it. */
export interface LinesTail {
  /** The file's size. */
  size: number;
  /** The offset just after the last newline: bytes after it are a line a crash left unfinished. */
  cut: number;
  /** Those bytes. */
  torn: Buffer;
  /** The last whole line, if any. */
  lastLine: string | null;
}

/** Reads the end of a JSON Lines file backwards in chunks (the ledger's segments, a village node's outbox). */
export async function readLinesTail(handle: FileHandle): Promise<LinesTail> {
  const size = (await handle.stat()).size;
  let chunk = 64 * 1024;
  for (;;) {
    const from = Math.max(0, size - chunk);
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    const lastNewline = buffer.lastIndexOf(0x0a);
    // The line before the last newline is whole only if another newline (or the file's start) is seen before it.
    const before = lastNewline > 0 ? buffer.lastIndexOf(0x0a, lastNewline - 1) : -1;
    if (before >= 0 || from === 0) {
      const cut = lastNewline < 0 ? from : from + lastNewline + 1;
      const line = lastNewline < 0 ? '' : buffer.toString('utf8', before + 1, lastNewline);
      return { size, cut, torn: buffer.subarray(cut - from), lastLine: line === '' ? null : line };
    }
    chunk *= 4;
  }
}

/** A temporary file of {@link writeFileDurably}: `.<name>.<8 hex>.tmp` beside `<name>`. */
export const DURABLE_TEMP_NAME = /^\.(.+)\.[0-9a-f]{8}\.tmp$/;

/** A fresh temporary path for `file` (matches {@link DURABLE_TEMP_NAME}); a crash before the rename leaves it behind. */
export function durableTempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID().slice(0, 8)}.tmp`);
}

/**
 * Replaces `file` with `bytes` durably. The temporary file has a unique name
 * and is created exclusively ('wx') with `mode`, so a leftover temporary file
 * (e.g. one made readable by others) can never carry a private key; a failed
 * write removes it and leaves `file` as it was.
 */
export async function writeFileDurably(file: string, bytes: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = durableTempPath(file);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.chmod(mode); // exactly `mode`, whatever the umask
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}

/** A lowdb adapter over {@link writeFileDurably}. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(data: T): Promise<void> {
    await writeFileDurably(this.file, JSON.stringify(data), 0o600);
  }
}
