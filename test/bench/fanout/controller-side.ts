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
import { type KioskClients, startKioskClients } from './clients.js';
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

export interface ApproveOutcome {
  t0: number;
  approveMs: number;
  report: RoundReport;
}

export interface ControllerSide {
  connectMs: number;
  /** Withdraws the previous round's notice (untimed), then drafts, submits and approves a new one (timed). */
  approve(round: number): Promise<ApproveOutcome>;
  /** Closes the kiosk connections (and waits until the controller has let them go), leaving the controller up. */
  disconnectClients(): Promise<void>;
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

    /** The notice the kiosks show now: each round withdraws it first, so every timed push carries exactly one notice. */
    let previous: string | null = null;
    return {
      connectMs: clients.connectMs,
      stop,
      async disconnectClients() {
        await clients.close();
        // The clients' processes are gone; give the server a moment to notice every closed socket.
        await new Promise((r) => setTimeout(r, 1_000));
      },
      async approve(round) {
        if (previous) {
          await reviewer.post(`/api/notices/${previous}/withdraw`, { reason: '基准测试：本轮结束' });
          const cleared = await clients.nextRound(plan.roundTimeoutMs);
          if (cleared.playlist.items.length !== 0)
            throw new Error(`round ${round}: the withdrawal left ${cleared.playlist.items.length} notice(s)`);
        }
        const notice = await editor.post<Notice>('/api/notices', {
          title: `张堂村二〇二五年度低保评议结果公示（第${round + 1}期）`,
          body: noticeBody(round),
          target: { scope: 'villages', villageIds: [VILLAGE_ID] },
        });
        await editor.post(`/api/notices/${notice.id}/submit`);
        const t0 = monotonicMs();
        await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: BENCH_ATTESTATION });
        const approveMs = monotonicMs() - t0;
        const report = await clients.nextRound(plan.roundTimeoutMs);
        const items = report.playlist.items.map((i) => i.noticeId);
        if (items.length !== 1 || items[0] !== notice.id) {
          throw new Error(`round ${round}: expected a playlist of just notice ${notice.id}, got [${items.join(', ')}]`);
        }
        previous = notice.id;
        return { t0, approveMs, report };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
