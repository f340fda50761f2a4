/**
 * Fault: kill -9 during the very first start (issue 12 point 11). A fresh
 * data directory; the controller (child process) is killed at a random moment
 * after it creates state.json, while it makes the first admin account and
 * seeds the demo town; then started again. The second start must be a whole
 * town: the four demo villages and kiosks (demo mode follows them), the admin and the two
 * demo accounts signing in with the passwords in their files, and the ledger
 * agreeing with the state.
 *
 * Rounds: GONGSHI_FIRST_START_KILLS (default 5).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Device } from '../../controller/protocol/index.js';
import { verifyLedger } from '../../controller/store/verify.js';
import { ApiClient, data, demoPassword, initialPassword, makeDataDir } from '../helpers/controller.js';
import { ledgerStateContradictions } from '../helpers/ledgerAgreement.js';
import { type ControllerProcess, startControllerProcess } from './system/controllerProcess.js';

const ROUNDS = Number(process.env.GONGSHI_FIRST_START_KILLS ?? 5);
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'system', 'controller-child.ts');
const dirs: string[] = [];
let running: ControllerProcess | null = null;

afterAll(async () => {
  await running?.kill9();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Starts a controller on `dataDir` and kills it `afterMs` after state.json appears (or once it is listening, if sooner). */
async function killDuringStart(dataDir: string, afterMs: number): Promise<'killed' | 'started'> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let listening = false;
  child.stdout.on('data', (chunk: Buffer) => (listening ||= chunk.toString().includes('controller-url')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const file = path.join(dataDir, 'state.json');
  const deadline = Date.now() + 60_000;
  while (!existsSync(file) && !listening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, afterMs));
  const outcome = listening ? 'started' : 'killed';
  child.kill('SIGKILL');
  await exited;
  return outcome;
}

describe('kill -9 during the first start', () => {
  it(`comes up whole at the next start, ${ROUNDS} times`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = await makeDataDir();
      dirs.push(dir);
      outcomes.push(await killDuringStart(dir, Math.random() * 1500));
      running = await startControllerProcess(dir);
      const admin = new ApiClient(running.url);
      await admin.login('admin', await initialPassword(dir));
      const devices = data((await admin.get<Device[]>('/api/devices')).body);
      expect(
        devices
          .filter((d) => d.demo && d.kind === 'kiosk')
          .map((d) => d.villageId)
          .sort(),
        `round ${round}`,
      ).toEqual(['v1', 'v2', 'v3', 'v4']);
      // The demo village node (controller/ops/demoNode.ts) is seeded in the same write.
      expect(
        devices.filter((d) => d.demo && d.kind === 'node').map((d) => d.villageId),
        `round ${round}`,
      ).toEqual(['v4']);
      const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { villages: unknown[]; notices: unknown[] };
      expect(state.villages, `round ${round}`).toHaveLength(4);
      expect(state.notices.length, `round ${round}`).toBeGreaterThan(0);
      await new ApiClient(running.url).login('editor', await demoPassword(dir, 'editor'));
      await new ApiClient(running.url).login('reviewer', await demoPassword(dir, 'reviewer'));
      expect(await ledgerStateContradictions(dir), `round ${round}`).toEqual([]);
      expect(await verifyLedger(dir), `round ${round}`).toMatchObject({ ok: true });
      await running.stop();
      running = null;
    }
    console.info(`first-start kills: ${outcomes.filter((o) => o === 'killed').length} of ${ROUNDS} killed before listening`);
    expect(outcomes).toContain('killed');
  }, 1_800_000);
});
