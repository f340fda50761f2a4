/** A checkpoint staff can read and export, and that a later verification proves unchanged (or not). */
import { spawnSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointExport } from '../../../controller/protocol/index.js';
import type { Verification } from '../../../controller/store/verify.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

describe('ledger checkpoint', () => {
  it('shows the head to any staff member and verifies against an exported checkpoint', async () => {
    const checkpoint = data((await s.editor.get<CheckpointExport>('/api/ledger/checkpoint')).body);
    expect(checkpoint).toMatchObject({ format: 'gongshi-ledger-checkpoint/1', town: '彪角镇' });
    expect(checkpoint.seq).toBeGreaterThan(0);
    expect(checkpoint.headHash).toMatch(/^[0-9a-f]{64}$/);

    const q = `seq=${checkpoint.seq}&headHash=${checkpoint.headHash}`;
    expect(data((await s.reviewer.get<Verification>(`/api/ledger/verify?${q}`)).body)).toMatchObject({ ok: true });

    const wrong = data((await s.reviewer.get<Verification>(`/api/ledger/verify?seq=${checkpoint.seq}&headHash=${'a'.repeat(64)}`)).body);
    expect(wrong).toMatchObject({ ok: false, firstBroken: { seq: checkpoint.seq, reason: expect.stringContaining('checkpoint') } });

    const beyond = data(
      (await s.reviewer.get<Verification>(`/api/ledger/verify?seq=${checkpoint.seq + 1000}&headHash=${checkpoint.headHash}`)).body,
    );
    expect(beyond).toMatchObject({ ok: false, firstBroken: { reason: expect.stringContaining('before checkpoint') } });

    const half = await s.reviewer.get(`/api/ledger/verify?seq=${checkpoint.seq}`);
    expect(half.status).toBe(400);
    const bad = await s.reviewer.get('/api/ledger/verify?seq=zero&headHash=xyz');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, fields: { seq: expect.any(String), headHash: expect.any(String) } });
  });

  it('lets the command line check a checkpoint, and fails it once a record before it is edited', async () => {
    const checkpoint = data((await s.admin.get<CheckpointExport>('/api/ledger/checkpoint')).body);
    await t.stop();
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'controller/tools/ledger-verify.ts', '--data', t.dataDir, ...args], {
        encoding: 'utf8',
      });
    const good = cli(['--seq', String(checkpoint.seq), '--hash', checkpoint.headHash]);
    expect(good.stdout).toContain(`passes through checkpoint seq ${checkpoint.seq}`);
    expect(good.status).toBe(0);
    expect(cli(['--seq', '3']).status).toBe(2);

    const dir = path.join(t.dataDir, 'ledger');
    const [file] = (await readdir(dir)).sort();
    const full = path.join(dir, file ?? '');
    const lines = (await readFile(full, 'utf8')).split('\n');
    lines[0] = lines[0]!.replace('"type":"', '"type":"x');
    await writeFile(full, lines.join('\n'));
    const broken = cli(['--seq', String(checkpoint.seq), '--hash', checkpoint.headHash]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('BROKEN');
  });
});
