/**
 * Ledger records by filter, streamed to a writable (an HTTP response) as CSV or
 * JSON Lines, line by line with backpressure: memory stays flat whatever the
 * ledger's size. The export is covered by the checkpoint taken when it starts;
 * records appended meanwhile are left out, so the file is exactly the chain up
 * to that checkpoint, filtered.
 *
 * JSON Lines: a first line `{"checkpoint":{…}}`, then each record exactly as
 * stored (an auditor can recompute each hash). CSV: a first line
 * `# checkpoint seq=… headHash=… at=…`, a header, then one row per record with
 * the stored record in its last column.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { type ExportQuery, type LedgerCheckpoint, civilDateOf } from '../../protocol/index.js';
import { listSegments } from '../../store/ledger.js';
import { CSV_BOM, csvLine } from './csv.js';

export const CSV_COLUMNS = ['seq', 'time', 'type', 'noticeId', 'deviceId', 'villageId', 'actorId', 'hash', 'record'];

interface Parsed {
  seq: number;
  ts: number;
  type: string;
  noticeId?: unknown;
  deviceId?: unknown;
  villageId?: unknown;
  actorId?: unknown;
  hash?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function matches(q: ExportQuery, r: Parsed): boolean {
  if (q.type && !r.type.startsWith(q.type)) return false;
  if (q.noticeId && r.noticeId !== q.noticeId) return false;
  if (q.deviceId && r.deviceId !== q.deviceId) return false;
  if (q.from || q.to) {
    const day = civilDateOf(r.ts);
    if ((q.from && day < q.from) || (q.to && day > q.to)) return false;
  }
  return true;
}

/** Writes `text`, waiting for the reader when its buffer is full; false once the reader has gone. */
async function write(out: Writable, text: string): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false;
  if (out.write(text)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

/** Streams the matching records up to `checkpoint`; resolves with how many were written. */
export async function streamLedgerExport(dataDir: string, q: ExportQuery, checkpoint: LedgerCheckpoint, out: Writable): Promise<number> {
  const dir = path.join(dataDir, 'ledger');
  const months = (await listSegments(dir))
    // A segment holds the records written in its month (China time), so whole months outside the range are skipped.
    .filter((n) => (!q.from || n.slice(0, 7) >= q.from.slice(0, 7)) && (!q.to || n.slice(0, 7) <= q.to.slice(0, 7)));
  const head =
    q.format === 'jsonl'
      ? `${JSON.stringify({ checkpoint })}\n`
      : `${CSV_BOM}# checkpoint seq=${checkpoint.seq} headHash=${checkpoint.headHash} at=${new Date(checkpoint.at).toISOString()}\r\n${csvLine(CSV_COLUMNS)}`;
  if (!(await write(out, head))) return 0;
  let written = 0;
  let chunk = '';
  for (const name of months) {
    const input = createReadStream(path.join(dir, name), { encoding: 'utf8', highWaterMark: 256 * 1024 });
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let reachedEnd = false;
    try {
      for await (const line of lines) {
        if (line === '') continue;
        const record = JSON.parse(line) as Parsed;
        if (record.seq > checkpoint.seq) {
          reachedEnd = true;
          break;
        }
        if (matches(q, record)) {
          chunk +=
            q.format === 'jsonl'
              ? `${line}\n`
              : csvLine([
                  record.seq,
                  new Date(record.ts).toISOString(),
                  record.type,
                  str(record.noticeId),
                  str(record.deviceId),
                  str(record.villageId),
                  str(record.actorId),
                  str(record.hash),
                  line,
                ]);
          written++;
          if (chunk.length >= 64 * 1024) {
            if (!(await write(out, chunk))) return written;
            chunk = '';
          }
        }
        // The checkpoint's own record is the last one covered; a line after it may still be being written.
        if (record.seq === checkpoint.seq) {
          reachedEnd = true;
          break;
        }
      }
    } finally {
      lines.close();
      input.destroy();
    }
    if (reachedEnd) break;
  }
  if (chunk && !(await write(out, chunk))) return written;
  return written;
}
