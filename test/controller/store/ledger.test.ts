import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import {
  GENESIS_HASH,
  LEDGER_TAIL_CUT_TYPE,
  type LedgerRecord,
  createLedger,
  hashRecord,
  segmentName,
} from '../../../controller/store/ledger.js';

const logger = createLogger({ level: 'silent' });
let dir: string;
let now = Date.UTC(2026, 10, 26, 3, 0, 0);
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-ledger-'));
  now = Date.UTC(2026, 10, 26, 3, 0, 0);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => createLedger({ dataDir: dir, logger, now: () => now });

async function lines(): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  for (const name of (await readdir(path.join(dir, 'ledger'))).sort()) {
    const text = await readFile(path.join(dir, 'ledger', name), 'utf8');
    out.push(
      ...text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LedgerRecord),
    );
  }
  return out;
}

describe('ledger', () => {
  it('chains records: each hash covers the record and the previous hash', async () => {
    const ledger = open();
    await ledger.start();
    await ledger.append([{ type: 'a', n: 1 }]);
    await ledger.append([
      { type: 'b', n: 2 },
      { type: 'c', n: 3 },
    ]);
    await ledger.stop();
    const records = await lines();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    let prev = GENESIS_HASH;
    for (const { hash, ...rest } of records) {
      expect(rest.prevHash).toBe(prev);
      expect(hashRecord(rest)).toBe(hash);
      prev = hash;
    }
  });

  it('batches concurrent appends into one write and resolves each caller with its own records', async () => {
    const ledger = open();
    await ledger.start();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append([{ type: 't', i }])));
    expect(results.map((r) => r[0]?.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(results.map((r) => r[0]?.seq)).size).toBe(50);
    expect(ledger.head().seq).toBe(50);
    await ledger.stop();
  });

  it('continues the chain after a restart', async () => {
    const first = open();
    await first.start();
    await first.append([{ type: 'a' }]);
    const head = first.head();
    await first.stop();
    const second = open();
    await second.start();
    expect(second.head()).toEqual(head);
    const [next] = await second.append([{ type: 'b' }]);
    expect(next).toMatchObject({ seq: 2, prevHash: head.hash });
    await second.stop();
  });

  it('starts a new segment each month (China Standard Time)', async () => {
    const ledger = open();
    await ledger.start();
    now = Date.UTC(2026, 10, 30, 15, 59, 0); // 23:59 on 30 Nov in Beijing
    await ledger.append([{ type: 'nov' }]);
    now = Date.UTC(2026, 10, 30, 16, 1, 0); // 00:01 on 1 Dec in Beijing
    await ledger.append([{ type: 'dec' }]);
    await ledger.stop();
    expect((await readdir(path.join(dir, 'ledger'))).sort()).toEqual(['2026-11.jsonl', '2026-12.jsonl']);
    expect(segmentName(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01.jsonl');
    expect((await lines()).map((r) => r.seq)).toEqual([1, 2]);
  });

  it('reads a range of seqs without reading the segments outside it, and only lines holding the text asked for', async () => {
    const ledger = open();
    await ledger.start();
    for (const month of [9, 10, 11]) {
      now = Date.UTC(2026, month, 10);
      await ledger.append(Array.from({ length: 5 }, (_, i) => ({ type: 'x', deviceId: i % 2 === 0 ? 'k1' : 'k2' })));
    }
    await ledger.stop();
    const read = async (range: Parameters<typeof ledger.records>[0]): Promise<number[]> => {
      const out: number[] = [];
      for await (const r of ledger.records(range)) out.push(r.seq);
      return out;
    };
    expect(await read({ fromSeq: 4, toSeq: 12 })).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await read({ fromSeq: 7, toSeq: 13, containing: '"deviceId":"k1"' })).toEqual([8, 10, 11, 13]);
    // The October segment is not opened for a range inside November: a broken line there goes unnoticed.
    await appendFile(path.join(dir, 'ledger', '2026-10.jsonl'), '{not json\n');
    expect(await read({ fromSeq: 6, toSeq: 10 })).toEqual([6, 7, 8, 9, 10]);
  });

  it('cuts a torn last line at start and keeps the chain intact', async () => {
    const ledger = open();
    await ledger.start();
    await ledger.append([{ type: 'kept' }]);
    await ledger.stop();
    const file = path.join(dir, 'ledger', segmentName(now));
    const size = (await stat(file)).size;
    await appendFile(file, '{"type":"torn","seq":2,"prevH');
    const reopened = open();
    await reopened.start();
    // The cut is recorded as the next record: where it was, how many bytes, and their SHA-256.
    expect(reopened.head().seq).toBe(2);
    const [record] = await reopened.append([{ type: 'after' }]);
    expect(record?.seq).toBe(3);
    await reopened.stop();
    const records = await lines();
    expect(records.map((r) => r.type)).toEqual(['kept', LEDGER_TAIL_CUT_TYPE, 'after']);
    expect(records[1]).toMatchObject({
      segment: segmentName(now),
      offset: size,
      bytes: Buffer.byteLength('{"type":"torn","seq":2,"prevH'),
      sha256: createHash('sha256').update('{"type":"torn","seq":2,"prevH').digest('hex'),
    });
    // Starting again finds nothing torn and records nothing more.
    const third = open();
    await third.start();
    expect(third.head().seq).toBe(3);
    await third.stop();
  });

  it('keeps writing to the newest segment when the clock is set back across a month', async () => {
    const ledger = open();
    await ledger.start();
    await ledger.append([{ type: 'november' }]);
    now = Date.UTC(2026, 9, 20, 4, 0, 0); // October: the board booted with a stale clock
    await ledger.append([{ type: 'october?' }]);
    await ledger.stop();
    // One chain in one file: a record in 2026-10.jsonl would be read before November's and fork the chain at the next start.
    expect(await readdir(path.join(dir, 'ledger'))).toEqual([segmentName(Date.UTC(2026, 10, 26))]);
    const reopened = open();
    await reopened.start();
    expect(reopened.head().seq).toBe(2);
    await reopened.stop();
    expect((await lines()).map((r) => r.seq)).toEqual([1, 2]);
  });

  it('finds the head from the end of the newest segment, across an empty one and lines longer than a read chunk', async () => {
    const ledger = open();
    await ledger.start();
    await ledger.append([{ type: 'small' }]);
    const [big] = await ledger.append([{ type: 'big', text: '公'.repeat(100_000) }]);
    await ledger.stop();
    // An empty newer segment (a crash right after creating it) does not hide the head.
    await writeFile(path.join(dir, 'ledger', '2026-12.jsonl'), '');
    const reopened = open();
    await reopened.start();
    expect(reopened.head()).toEqual({ seq: 2, hash: big?.hash });
    const [next] = await reopened.append([{ type: 'next' }]);
    expect(next).toMatchObject({ seq: 3, prevHash: big?.hash });
    await reopened.stop();
  });

  it('refuses appends before start', async () => {
    await expect(open().append([{ type: 'x' }])).rejects.toThrow(/not started/);
  });
});
