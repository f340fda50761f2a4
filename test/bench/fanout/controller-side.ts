/**
 * The measured path: a real controller, a reviewer approving over HTTP, and N
 * kiosks that must each receive the new playlist. The clock starts just
 * before the approve request leaves and stops when the last kiosk has decoded
 * the push.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../controller/config.js';
import { createController, packageRoot } from '../../../controller/main.js';
import type { Notice } from '../../../controller/protocol/index.js';
import { monotonicMs } from '../stats.js';
import { type KioskClients, TimeoutError, startKioskClients } from './clients.js';
import type { RoundReport } from './ipc.js';
import type { Plan } from './samples.js';
import { StaffApi } from './staff-api.js';
import { BENCH_STAFF, VILLAGE_ID, noticeBody, writeTownState } from './town.js';

const BENCH_ATTESTATION = {
  noStateSecret: true,
  noCommercialSecret: true,
  noUnmaskedPersonalData: true,
  checkedAgainstSource: true,
  opinion: '',
};

/** How long to wait for a push that may legitimately not come (see `approve`). */
const LATE_PUSH_WAIT_MS = 2000;

export type ApproveOutcome =
  | { kind: 'pushed'; t0: number; approveMs: number; report: RoundReport }
  /** The notice's posting window closed before the controller compiled the playlist: nothing of it to time. */
  | { kind: 'late' };

export interface ControllerSide {
  connectMs: number;
  /** Drafts, submits and approves one notice whose posting window closes at `endsAt` (wall clock). */
  approve(round: number, endsAt: number): Promise<ApproveOutcome>;
  stop(): Promise<void>;
}

export async function startControllerSide(kiosks: number, plan: Plan, log: (message: string) => void): Promise<ControllerSide> {
  const closers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-'));
    closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const tokenPrefix = `bench-${randomUUID()}-`;
    await writeTownState(dataDir, kiosks, tokenPrefix, Date.now());
    const argv = ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--demo', 'off', '--log-level', 'warn'];
    const controller = await createController(
      loadConfig(argv, {}, { cwd: process.cwd(), defaultWebDir: path.join(packageRoot(), 'dist/web') }),
    );
    closers.push(() => controller.stop());
    const editor = new StaffApi(controller.url);
    const reviewer = new StaffApi(controller.url);
    await editor.login(BENCH_STAFF.editor, BENCH_STAFF.password);
    await reviewer.login(BENCH_STAFF.reviewer, BENCH_STAFF.password);
    log(`  controller: connecting ${kiosks} kiosks`);
    const clients: KioskClients = await startKioskClients(
      { url: controller.url, count: kiosks, mode: 'controller', tokenPrefix },
      plan.readyTimeoutMs,
    );
    closers.push(() => clients.close());

    /** Notices the kiosks hold now: the playlist sent on connect is empty. */
    let holding = 0;
    return {
      connectMs: clients.connectMs,
      stop,
      async approve(round, endsAt) {
        // Posting windows are whole days; an emergency's expiry is to the millisecond, so it gives the short window a round needs.
        const notice = await editor.post<Notice>('/api/notices', {
          title: `张堂村二〇二五年度低保评议结果公示（第${round + 1}期）`,
          body: noticeBody(round),
          target: { scope: 'villages', villageIds: [VILLAGE_ID] },
          emergency: { level: 'blue', expiresAt: endsAt },
        });
        await editor.post(`/api/notices/${notice.id}/submit`);
        const t0 = monotonicMs();
        await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: BENCH_ATTESTATION });
        const approveMs = monotonicMs() - t0;
        // The controller compiles and pushes before it answers, so an answer inside the window means the notice is in the push.
        // Past the window an empty playlist is pushed only if the kiosks held something; otherwise nothing comes.
        const pushCertain = Date.now() < endsAt || holding > 0;
        const report = await clients.nextRound(pushCertain ? plan.roundTimeoutMs : LATE_PUSH_WAIT_MS).catch((error: unknown) => {
          if (error instanceof TimeoutError && !pushCertain) return null;
          throw error;
        });
        const items = report?.playlist.items.map((i) => i.noticeId) ?? [];
        holding = items.length;
        if (!report || items.length === 0) return { kind: 'late' };
        if (items.length !== 1 || items[0] !== notice.id) {
          throw new Error(`round ${round}: expected a playlist of just notice ${notice.id}, got [${items.join(', ')}]`);
        }
        return { kind: 'pushed', t0, approveMs, report };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
