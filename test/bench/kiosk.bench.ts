/**
 * The kiosk app's own footprint:
 * - JavaScript shipped for the kiosk page (gzip), next to Preact's runtime
 *   alone (the framework every page pays for); the budget is 60 KB.
 * - Heap after a simulated day of rotation in Chromium (fake clock: every
 *   timer of 24 hours runs, receipts and heartbeats included), next to the
 *   heap after the first simulated hour; a ratio near 1 means no growth.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { createController, packageRoot } from '../../controller/main.js';
import { loadConfig } from '../../controller/config.js';
import type { Notice } from '../../controller/protocol/index.js';
import { launchChromium } from '../helpers/browser.js';
import { ATTESTATION, ApiClient, demoPassword, makeDataDir } from '../helpers/controller.js';
import type { BenchOptions, BenchResult } from './bench.js';

export const name = 'kiosk';

const KB = 1024;
export const KIOSK_JS_BUDGET_BYTES = 60 * KB;

/** Gzip size of every script the kiosk page loads (entry and the chunks it preloads), and of Preact's runtime. */
async function shippedJs(webDir: string): Promise<{ kiosk: number; preact: number; files: string[] }> {
  const html = await readFile(path.join(webDir, 'kiosk/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  let kiosk = 0;
  for (const file of files) kiosk += gzipSync(await readFile(path.join(webDir, file.replace(/^\//, '')))).length;
  const preact = gzipSync(await readFile(path.join(packageRoot(), 'node_modules/preact/dist/preact.mjs'))).length;
  return { kiosk, preact, files };
}

async function simulatedDay(hours: number, log: (m: string) => void): Promise<{ firstHour: number; lastHour: number; notes: string[] }> {
  const dataDir = await makeDataDir();
  const config = loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'warn'],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
  const controller = await createController(config);
  const browser = await launchChromium();
  try {
    const editor = new ApiClient(controller.url);
    const reviewer = new ApiClient(controller.url);
    await editor.login('editor', await demoPassword(dataDir, 'editor'));
    await reviewer.login('reviewer', await demoPassword(dataDir, 'reviewer'));
    for (let i = 0; i < 8; i++) {
      const res = await editor.post<Notice>('/api/notices', {
        title: `张堂村第${i + 1}号公示：二〇二六年度惠民资金发放名单`,
        body: '经村民代表会议评议，现将名单公示如下。'.repeat(20),
        target: { scope: 'villages', villageIds: ['v2'] },
      });
      if (!res.body.ok) throw new Error(res.body.message);
      await editor.post(`/api/notices/${res.body.data.id}/submit`);
      await reviewer.post(`/api/notices/${res.body.data.id}/approve`, { attestation: ATTESTATION });
    }
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${controller.url}/kiosk/?device=demo-kiosk-v2`);
    await page.locator('.notice-card').first().waitFor({ timeout: 20_000 });
    const cdp = await context.newCDPSession(page);
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const perHour: number[] = [];
    for (let h = 1; h <= hours; h++) {
      // Minute by minute, so real I/O (receipts to the controller) can interleave with the fake timers.
      for (let m = 0; m < 60; m++) await page.clock.runFor(60_000);
      perHour.push(await heap());
      if (h % 6 === 0) log(`   simulated ${h} h: heap ${(perHour.at(-1)! / KB / KB).toFixed(2)} MB`);
    }
    const firstHour = perHour[0] ?? Number.NaN;
    const lastHour = perHour.at(-1) ?? Number.NaN;
    const peak = Math.max(...perHour);
    return {
      firstHour,
      lastHour,
      notes: [
        `heap after each simulated hour: min ${(Math.min(...perHour) / KB / KB).toFixed(2)} MB, peak ${(peak / KB / KB).toFixed(2)} MB`,
      ],
    };
  } finally {
    await browser.close();
    await controller.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const root = packageRoot();
  options.log(' building the web apps');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  const js = await shippedJs(path.join(root, 'dist/web'));
  const hours = options.quick ? 3 : 24;
  options.log(` kiosk page through ${hours} simulated hours of rotation`);
  const day = await simulatedDay(hours, options.log);
  return [
    {
      benchmark: 'kiosk JavaScript, gzip (KB)',
      n: js.files.length,
      rounds: 1,
      payloadBytes: js.kiosk,
      unit: 'KB',
      measured: { p50: js.kiosk / KB, p99: js.kiosk / KB },
      baseline: { name: 'Preact runtime alone, gzip', p50: js.preact / KB, p99: js.preact / KB },
      notes: [
        `${js.files.join(', ')}: ${(js.kiosk / KB).toFixed(1)} KB gzip; budget ${KIOSK_JS_BUDGET_BYTES / KB} KB (${js.kiosk <= KIOSK_JS_BUDGET_BYTES ? 'within' : 'OVER'})`,
      ],
    },
    {
      benchmark: `kiosk heap after ${hours} simulated hours (MB)`,
      n: hours,
      rounds: hours,
      payloadBytes: 0,
      unit: 'MB',
      measured: { p50: day.lastHour / KB / KB, p99: day.lastHour / KB / KB },
      baseline: { name: 'heap after the first simulated hour', p50: day.firstHour / KB / KB, p99: day.firstHour / KB / KB },
      notes: day.notes,
    },
  ];
}
