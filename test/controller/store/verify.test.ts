/**
 * Tampering with any line of the ledger is detected, at the first broken
 * record, whether segments are checked in this thread or in worker threads
 * (joined at the seams).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { createLedger, segmentName } from '../../../controller/store/ledger.js';
import { checkSegment } from '../../../controller/store/segmentCheck.js';
import { verifyLedger } from '../../../controller/store/verify.js';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
let dir: string;
let file: string;

async function lines(at = file): Promise<string[]> {
  return (await readFile(at, 'utf8')).split('\n').filter(Boolean);
}
async function save(next: string[], at = file): Promise<void> {
  await writeFile(at, `${next.join('\n')}\n`);
}

describe.each([
  { mode: 'in this thread', workers: 0 },
  { mode: 'in worker threads', workers: 2 },
])('verifyLedger, segments checked $mode', ({ workers }) => {
  const verify = (against?: { seq: number; headHash: string }) => verifyLedger(dir, () => NOW, against, { workers });

  describe('one segment', () => {
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-verify-'));
      file = path.join(dir, 'ledger', segmentName(NOW));
      const ledger = createLedger({ dataDir: dir, logger: createLogger({ level: 'silent' }), now: () => NOW });
      await ledger.start();
      for (let i = 1; i <= 5; i++) await ledger.append([{ type: 'display.kiosk', n: i, noticeId: `n${i}`, nested: { hash: 'x', a: [1] } }]);
      await ledger.stop();
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('accepts an intact ledger and returns a checkpoint', async () => {
      const result = await verify();
      expect(result).toMatchObject({ ok: true, records: 5, checkpoint: { seq: 5, at: NOW } });
      if (result.ok) expect(result.checkpoint.headHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('reports a line with the same content encoded otherwise (key order, a space, an escape, CRLF) as re-encoded', async () => {
      const original = await lines();
      const record = JSON.parse(original[1]!) as Record<string, unknown>;
      for (const variant of [
        JSON.stringify(Object.fromEntries(Object.entries(record).reverse())),
        original[1]!.replace('"n":2,', '"n": 2,'),
        original[1]!.replace('"noticeId":"n2"', '"noticeId":"\\u006e2"'),
        `${original[1]!}\r`,
      ]) {
        const l = [...original];
        l[1] = variant;
        await save(l);
        expect(await verify()).toMatchObject({
          ok: false,
          records: 1,
          firstBroken: { line: 2, seq: 2, reason: expect.stringContaining('re-encoded') },
        });
      }
    });

    it('detects an inserted blank line', async () => {
      const l = await lines();
      l.splice(3, 0, '');
      await save(l);
      expect(await verify()).toMatchObject({ ok: false, records: 3, firstBroken: { line: 4, reason: 'not a JSON record' } });
    });

    it('detects an edited record, in a top-level or a nested member', async () => {
      const original = await lines();
      for (const [at, edit] of [
        [2, (s: string) => s.replace('"n":3', '"n":33')],
        [3, (s: string) => s.replace('"hash":"x"', '"hash":"y"')],
      ] as const) {
        const l = [...original];
        l[at] = edit(l[at]!);
        expect(l[at]).not.toBe(original[at]);
        await save(l);
        expect(await verify()).toMatchObject({
          ok: false,
          records: at,
          firstBroken: { line: at + 1, seq: at + 1, reason: expect.stringContaining('edited') },
        });
      }
    });

    it('detects a deleted record', async () => {
      const l = await lines();
      l.splice(1, 1);
      await save(l);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBroken: { line: 2, seq: 3, reason: expect.stringContaining('expected seq 2') },
      });
    });

    it('detects a deleted last record only against a kept checkpoint', async () => {
      const before = await verify();
      const l = await lines();
      await save(l.slice(0, -1));
      const after = await verify();
      // The chain that remains is valid; the auditor's checkpoint (seq 5) shows the loss.
      expect(after).toMatchObject({ ok: true, records: 4 });
      if (!before.ok) throw new Error('the intact ledger did not verify');
      expect(await verify(before.checkpoint)).toMatchObject({
        ok: false,
        firstBroken: { reason: expect.stringContaining('ends at seq 4') },
      });
    });

    it('holds a checkpoint to its hash', async () => {
      const before = await verify();
      if (!before.ok) throw new Error('the intact ledger did not verify');
      expect(await verify({ seq: 3, headHash: before.checkpoint.headHash })).toMatchObject({
        ok: false,
        records: 2,
        firstBroken: { line: 3, seq: 3, reason: expect.stringContaining('checkpoint') },
      });
    });

    it('detects reordered records', async () => {
      const l = await lines();
      [l[1], l[2]] = [l[2]!, l[1]!];
      await save(l);
      expect(await verify()).toMatchObject({ ok: false, firstBroken: { line: 2, seq: 3 } });
    });

    it('detects an inserted record, even one with a recomputed hash', async () => {
      const l = await lines();
      const forged = { ...JSON.parse(l[1]!), n: 99 };
      l.splice(2, 0, JSON.stringify(forged));
      await save(l);
      expect(await verify()).toMatchObject({ ok: false, firstBroken: { line: 3 } });
    });

    it('reports garbage and JSON that is no record as such, also as the last line', async () => {
      const original = await lines();
      for (const [at, garbage] of [
        [0, 'not json'],
        [2, 'null'],
        [2, '[1,2]'],
        [4, original[4]!.slice(0, 40)],
      ] as const) {
        const l = [...original];
        l[at] = garbage;
        await save(l);
        expect(await verify()).toMatchObject({
          ok: false,
          records: at,
          firstBroken: { line: at + 1, seq: null, reason: 'not a JSON record' },
        });
      }
    });

    it('leaves an unfinished last line (a write in progress, or a crash mid-write) out of the chain and says so', async () => {
      const l = await lines();
      // No newline after it: what a reader sees while a batch is being written, or after a crash before the start cuts it.
      await writeFile(file, `${l.slice(0, 4).join('\n')}\n${l[4]!.slice(0, 40)}`);
      expect(await verify()).toEqual({ ok: true, records: 4, checkpoint: expect.objectContaining({ seq: 4 }), tornTailBytes: 40 });
    });

    it('checks a segment only as far as it reached when the check began', async () => {
      const l = await lines();
      // A running controller appends while the check reads: the check stops at the size it took at the start,
      // which may fall inside a record being written.
      const bytes = Buffer.byteLength(`${l.slice(0, 3).join('\n')}\n`) + 10;
      expect(await checkSegment(file, { bytes, last: true })).toMatchObject({ records: 3, tornTail: 10, broken: null });
      expect(await checkSegment(file, { bytes, last: false })).toMatchObject({ records: 3, broken: { line: 4 } });
    });
  });

  describe('several segments', () => {
    const MONTHS = [Date.UTC(2026, 8, 10), Date.UTC(2026, 9, 10), Date.UTC(2026, 10, 10)];
    const segment = (i: number) => path.join(dir, 'ledger', segmentName(MONTHS[i]!));
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-verify-'));
      let now = MONTHS[0]!;
      const ledger = createLedger({ dataDir: dir, logger: createLogger({ level: 'silent' }), now: () => now });
      await ledger.start();
      for (const month of MONTHS) {
        now = month;
        for (let i = 0; i < 3; i++) await ledger.append([{ type: 'display.kiosk', i }]);
      }
      await ledger.stop();
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('joins the segments into one chain', async () => {
      expect(await verify()).toMatchObject({ ok: true, records: 9, checkpoint: { seq: 9 } });
    });

    it('breaks at an unfinished line in any segment but the newest', async () => {
      const text = await readFile(segment(1), 'utf8');
      await writeFile(segment(1), text.slice(0, -10));
      expect(await verify()).toMatchObject({ ok: false, records: 5, firstBroken: { line: 3, reason: 'not a JSON record' } });
    });

    it('detects a deleted first record of a segment, at the seam', async () => {
      await save((await lines(segment(1))).slice(1), segment(1));
      expect(await verify()).toMatchObject({
        ok: false,
        records: 3,
        firstBroken: { file: '2026-10.jsonl', line: 1, seq: 5, reason: expect.stringContaining('expected seq 4') },
      });
    });

    it('detects a deleted last record of a segment, at the next seam', async () => {
      await save((await lines(segment(0))).slice(0, -1), segment(0));
      expect(await verify()).toMatchObject({ ok: false, records: 2, firstBroken: { file: '2026-10.jsonl', line: 1, seq: 4 } });
    });

    it('detects a removed segment', async () => {
      await unlink(segment(1));
      expect(await verify()).toMatchObject({ ok: false, records: 3, firstBroken: { file: '2026-11.jsonl', line: 1, seq: 7 } });
    });

    it('reports the first break when a later segment is broken too', async () => {
      const second = await lines(segment(1));
      second[1] = second[1]!.replace('"i":1', '"i":7');
      await save(second, segment(1));
      const third = await lines(segment(2));
      await save(['garbage', ...third], segment(2));
      expect(await verify()).toMatchObject({
        ok: false,
        records: 4,
        firstBroken: { file: '2026-10.jsonl', line: 2, seq: 5, reason: expect.stringContaining('edited') },
      });
    });
  });
});

describe('npm run ledger:verify', () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-verify-'));
    file = path.join(dir, 'ledger', segmentName(NOW));
    const ledger = createLedger({ dataDir: dir, logger: createLogger({ level: 'silent' }), now: () => NOW });
    await ledger.start();
    for (let i = 1; i <= 5; i++) await ledger.append([{ type: 'display.kiosk', n: i }]);
    await ledger.stop();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the checkpoint and the rate, and exits 1 on a broken chain', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'controller/tools/ledger-verify.ts', '--data', dir], { cwd: root, encoding: 'utf8' });
    const intact = run();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/ledger intact: 5 records[\s\S]*checkpoint: seq 5 head [0-9a-f]{64}/);
    expect(intact.stdout).toMatch(/verified 5 records in \d+\.\d{2} s \([\d,]+ records\/s/);
    const l = await lines();
    l[4] = l[4]!.replace('"n":5', '"n":6');
    await save(l);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at .* line 5 \(seq 5\)/);
  });
});
