/**
 * Fault: kill -9 of the controller while staff publish (issue 12 point 1).
 * The controller runs in a child process; three staff loops here create,
 * submit and approve notices as fast as it answers, and the controller is
 * killed at a random moment, then started again. After every restart the
 * ledger and state.json must agree (test/helpers/ledgerAgreement.ts: no
 * effective record the state lacks, no state the ledger lacks, no version
 * approved twice) and the chain must verify. Each round first finishes what
 * the last left half done (approves what is pending), so a voided approval is
 * approved again.
 *
 * Kills: GONGSHI_PUBLISH_KILLS (default 20, CI); docs/BENCHMARKS.md keeps a run of 100.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Notice, NoticePage } from '../../controller/protocol/index.js';
import { verifyLedger } from '../../controller/store/verify.js';
import { ATTESTATION, ApiClient, demoPassword, makeDataDir } from '../helpers/controller.js';
import { ledgerStateContradictions } from '../helpers/ledgerAgreement.js';
import { type ControllerProcess, startControllerProcess } from './system/controllerProcess.js';

const KILLS = Number(process.env.GONGSHI_PUBLISH_KILLS ?? 20);
const LOOPS = 3;
let dir = '';
let running: ControllerProcess | null = null;

afterAll(async () => {
  await running?.kill9();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signIn(url: string): Promise<{ editor: ApiClient; reviewer: ApiClient }> {
  const editor = new ApiClient(url);
  const reviewer = new ApiClient(url);
  await editor.login('editor', await demoPassword(dir, 'editor'));
  await reviewer.login('reviewer', await demoPassword(dir, 'reviewer'));
  return { editor, reviewer };
}

/** Approves what an earlier round left submitted, and submits and approves what it left as drafts. */
async function finishLeftovers(staff: { editor: ApiClient; reviewer: ApiClient }): Promise<number> {
  let finished = 0;
  for (const state of ['draft', 'pending_review'] as const) {
    const page = await staff.editor.get<NoticePage>(`/api/notices?state=${state}&pageSize=100`);
    if (!page.body.ok) throw new Error(page.body.message);
    for (const n of page.body.data.items) {
      if (state === 'draft') await staff.editor.post(`/api/notices/${n.id}/submit`);
      const approved = await staff.reviewer.post<Notice>(`/api/notices/${n.id}/approve`, { attestation: ATTESTATION });
      if (!approved.body.ok) throw new Error(`could not approve ${n.id}: ${approved.body.message}`);
      finished++;
    }
  }
  return finished;
}

/** Creates, submits and approves notices until the controller stops answering. */
async function publishLoop(staff: { editor: ApiClient; reviewer: ApiClient }, loop: number): Promise<number> {
  let published = 0;
  try {
    for (let i = 0; ; i++) {
      const created = await staff.editor.post<Notice>('/api/notices', {
        title: `第${loop}组第${i}号通知`,
        body: '停电检修，请相互转告。',
        target: { scope: 'town' },
      });
      if (!created.body.ok) throw new Error(created.body.message);
      const id = created.body.data.id;
      await staff.editor.post(`/api/notices/${id}/submit`);
      const approved = await staff.reviewer.post(`/api/notices/${id}/approve`, { attestation: ATTESTATION });
      if (approved.body.ok) published++;
    }
  } catch {
    return published; // the controller was killed: fetch fails
  }
}

describe('kill -9 while staff publish', () => {
  it(
    `leaves the ledger and state.json agreeing after each of ${KILLS} kills, and the chain verifying`,
    async () => {
      dir = await makeDataDir();
      const contradictions: string[] = [];
      let published = 0;
      let redone = 0;
      let voids = 0;
      for (let round = 0; round <= KILLS; round++) {
        running = await startControllerProcess(dir);
        // The start has reconciled: both files now tell one story.
        const found = await ledgerStateContradictions(dir);
        contradictions.push(...found.map((c) => `after kill ${round}: ${c}`));
        expect(await verifyLedger(dir), `round ${round}`).toMatchObject({ ok: true });
        voids = (running.stderr().match(/voided ledger record/g) ?? []).length + voids;
        const staff = await signIn(running.url);
        redone += await finishLeftovers(staff);
        if (round === KILLS) break;
        const loops = Array.from({ length: LOOPS }, (_, i) => publishLoop(staff, i));
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
        await running.kill9();
        running = null;
        published += (await Promise.all(loops)).reduce((a, b) => a + b, 0);
        if ((round + 1) % 10 === 0)
          console.info(`publish crash test: ${round + 1} kills, ${voids} voided, ${contradictions.length} contradictions so far`);
      }
      await running?.stop();
      running = null;
      contradictions.push(...(await ledgerStateContradictions(dir)).map((c) => `at the end: ${c}`));
      console.info(
        `publish crash test: ${KILLS} kills, ${published} notices published between kills, ${voids} records voided at start, ${redone} left over and finished, ${contradictions.length} contradictions`,
      );
      expect(contradictions).toEqual([]);
      expect(published).toBeGreaterThan(KILLS);
    },
    Math.max(600_000, KILLS * 120_000),
  );
});
