/**
 * Signed checkpoints: the key made at first start (private key 0600) signs the
 * checkpoint staff export; `ledger:verify --checkpoint` accepts it after more
 * records are appended, and refuses it when an earlier record is edited, when
 * the file is altered, or when checked with another key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../../../controller/ops/keys.js';
import type { CheckpointExport } from '../../../controller/protocol/index.js';
import { createLedger } from '../../../controller/store/ledger.js';
import { ApiClient, type TestController, data, initialPassword, startController } from '../../helpers/controller.js';
import { runTool } from './cli.js';

let t: TestController;
let checkpoint: CheckpointExport;
let file = '';

beforeAll(async () => {
  t = await startController();
  const admin = new ApiClient(t.url);
  await admin.login('admin', await initialPassword(t.dataDir));
  checkpoint = data((await admin.get<CheckpointExport>('/api/ledger/checkpoint')).body);
  await t.stop();
  file = path.join(t.dataDir, 'saved-checkpoint.json');
  await writeFile(file, JSON.stringify(checkpoint, null, 2));
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const verify = (...args: string[]) => runTool('ledger-verify', ['--data', t.dataDir, ...args]);

describe('signed ledger checkpoints', () => {
  it('are signed by a key made at first start, kept private, and shown with its fingerprint', async () => {
    expect((await stat(path.join(t.dataDir, PRIVATE_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(path.join(t.dataDir, PRIVATE_KEY_FILE)))).mode & 0o777).toBe(0o700);
    const pub = await readFile(path.join(t.dataDir, PUBLIC_KEY_FILE), 'utf8');
    expect(checkpoint.signature).toMatchObject({
      algorithm: 'Ed25519',
      publicKey: pub,
      fingerprint: expect.stringMatching(/^SHA256:[0-9a-f]{64}$/),
    });
    // The same key on the next start.
    const again = await startController({ dataDir: t.dataDir });
    const admin = new ApiClient(again.url);
    await admin.login('admin', await initialPassword(t.dataDir));
    const later = data((await admin.get<CheckpointExport>('/api/ledger/checkpoint')).body);
    await again.stop();
    expect(later.signature?.fingerprint).toBe(checkpoint.signature?.fingerprint);
  }, 60_000);

  it('an old checkpoint still verifies after more records are appended', async () => {
    const ledger = createLedger({ dataDir: t.dataDir, logger: createLogger({ level: 'silent' }), now: Date.now });
    await ledger.start();
    const before = ledger.head().seq;
    await ledger.append(Array.from({ length: 25 }, (_, i) => ({ type: 'test.appended', n: i })));
    expect(ledger.head().seq).toBe(before + 25);
    expect(before).toBeGreaterThanOrEqual(checkpoint.seq);
    await ledger.stop();
    const result = await verify('--checkpoint', file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`checkpoint signature valid: key ${checkpoint.signature?.fingerprint}`);
    expect(result.stdout).toContain(`passes through checkpoint seq ${checkpoint.seq} unchanged`);
  }, 60_000);

  it('fails with another public key, and when the file is altered after signing', async () => {
    const other = path.join(t.dataDir, 'other.pub');
    await writeFile(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const wrongKey = await verify('--checkpoint', file, '--public-key', other);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('checkpoint signature INVALID');
    expect(wrongKey.stderr).toContain('签名与所给公钥不符');

    const altered = path.join(t.dataDir, 'altered-checkpoint.json');
    await writeFile(altered, JSON.stringify({ ...checkpoint, seq: checkpoint.seq - 1 }));
    const result = await verify('--checkpoint', altered);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed after signing');

    const bad = await verify('--checkpoint', path.join(t.dataDir, 'state.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/format must be/);
  }, 60_000);

  it('fails once a record before the checkpoint is edited', async () => {
    const dir = path.join(t.dataDir, 'ledger');
    const [segment] = (await readdir(dir)).sort();
    const full = path.join(dir, segment ?? '');
    const lines = (await readFile(full, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"type":"', '"type":"x');
    await writeFile(full, lines.join('\n'));
    const result = await verify('--checkpoint', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('checkpoint signature valid');
    expect(result.stderr).toContain('BROKEN');
    expect(result.stderr).toContain('(seq 2)');
  }, 60_000);
});
