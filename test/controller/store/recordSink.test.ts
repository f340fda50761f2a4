/**
 * The record sink on a real ledger (temp dir) whose writes fail for a while,
 * as on a full disk: nothing put is dropped, doubled or reordered; each put
 * resolves only once its records are durable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { type Ledger, type LedgerEntry, LedgerWriteError, createLedger } from '../../../controller/store/ledger.js';
import { createRecordSink } from '../../../controller/store/recordSink.js';

let dir: string;
let ledger: Ledger;
const logger = createLogger({ level: 'silent' });

/** The real ledger, refusing the next `failures` appends the way a full disk does. */
function failing(inner: Ledger, failures: { left: number }): Pick<Ledger, 'append'> {
  return {
    append: (entries) =>
      failures.left-- > 0
        ? Promise.reject(new LedgerWriteError(Object.assign(new Error('no space'), { code: 'ENOSPC' })))
        : inner.append(entries),
  };
}

async function stored(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of ledger.records()) out.push(r);
  return out;
}

const entry = (n: number): LedgerEntry => ({
  type: 'sign.link-down',
  signId: 's1',
  villageId: 'v1',
  portPath: '/dev/ttyS0',
  at: n,
  cause: 'link',
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-sink-'));
  ledger = createLedger({ dataDir: dir, logger, now: Date.now });
  await ledger.start();
});

afterEach(async () => {
  await ledger.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('record sink', () => {
  it('keeps records through failed writes and appends each once, in order, when the ledger takes them again', async () => {
    const failures = { left: 3 };
    const sink = createRecordSink({ ledger: failing(ledger, failures), logger, retryInitialMs: 5, retryMaxMs: 20 });
    const puts = [sink.put([entry(1), entry(2)]), sink.put([entry(3)])];
    await new Promise((r) => setTimeout(r, 1));
    puts.push(sink.put([entry(4)]));
    expect(sink.backlog()).toBeGreaterThan(0);
    await Promise.all(puts);
    expect(failures.left).toBeLessThan(0);
    expect(sink.backlog()).toBe(0);
    expect((await stored()).map((r) => r.at)).toEqual([1, 2, 3, 4]);
    await sink.stop();
  });

  it('at stop, tries once more and then gives up on what the ledger still refuses, saying so', async () => {
    const logs: string[] = [];
    const sink = createRecordSink({
      ledger: failing(ledger, { left: 1000 }),
      logger: createLogger({ level: 'warn', sink: (e) => logs.push(e.message) }),
      retryInitialMs: 60_000,
    });
    const put = sink.put([entry(1)]);
    await sink.stop();
    await expect(put).rejects.toBeInstanceOf(LedgerWriteError);
    expect(logs.some((m) => /lost/.test(m))).toBe(true);
  });
});
