/** The backup's last check: the last record it copied is still where it was in the live segment. */
import { appendFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tailStillThere } from '../../../controller/ops/backup.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-tail-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tailStillThere', () => {
  it('holds while records are appended after it, and fails once the copied record is cut or replaced', async () => {
    const file = path.join(dir, '2026-11.jsonl');
    const first = '{"seq":1}\n';
    const second = '{"seq":2,"hash":"a"}\n';
    await writeFile(file, first + second);
    const tail = { file, end: Buffer.byteLength(first + second), line: Buffer.from(second) };
    expect(await tailStillThere(tail)).toBe(true);
    await appendFile(file, '{"seq":3}\n');
    expect(await tailStillThere(tail)).toBe(true);
    await truncate(file, Buffer.byteLength(first));
    expect(await tailStillThere(tail)).toBe(false);
    await appendFile(file, '{"seq":2,"hash":"b"}\n');
    expect(await tailStillThere(tail)).toBe(false);
  });
});
