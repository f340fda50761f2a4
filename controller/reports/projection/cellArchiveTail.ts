/**
 * The start-up cut of one month file of the cell archive: drop the torn last
 * line (no newline after it) and every chunk whose seq is after the snapshot.
 * Chunks are appended in seq order, so this reads the file backwards from its
 * end and stops at the first chunk it keeps: a start reads the tails of the
 * month files, never the whole archive.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';

const BLOCK = 64 * 1024;
const SEQ_PREFIX = /^\{"seq":(\d+),/;

/** The offset of the last '\n' before `end` (exclusive), or -1. */
async function lastNewline(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(BLOCK);
  let pos = end;
  while (pos > 0) {
    const start = Math.max(0, pos - BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, pos - start, start);
    const at = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at !== -1) return start + at;
    pos = start;
  }
  return -1;
}

async function seqAt(handle: FileHandle, offset: number): Promise<number | null> {
  const buffer = Buffer.alloc(32);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
  const m = SEQ_PREFIX.exec(buffer.subarray(0, bytesRead).toString('latin1'));
  return m ? Number(m[1]) : null;
}

/**
 * Cuts `file` back to its chunks with seq ≤ `seq` (durably: truncate, fsync;
 * an emptied file is removed, the caller fsyncs the directory). Returns how
 * many lines were dropped (the torn one included).
 */
export async function keepThroughSeq(file: string, seq: number): Promise<number> {
  const handle = await open(file, 'r+');
  let end: number;
  let dropped = 0;
  try {
    const size = (await handle.stat()).size;
    end = (await lastNewline(handle, size)) + 1;
    if (end < size) dropped++;
    while (end > 0) {
      const start = (await lastNewline(handle, end - 1)) + 1;
      const chunkSeq = await seqAt(handle, start);
      // A line that is not a chunk is left for the reader to report, not silently dropped.
      if (chunkSeq === null || chunkSeq <= seq) break;
      end = start;
      dropped++;
    }
    if (end < size && end > 0) {
      await handle.truncate(end);
      await handle.sync();
    }
  } finally {
    await handle.close();
  }
  if (end === 0) await rm(file, { force: true });
  return dropped;
}
