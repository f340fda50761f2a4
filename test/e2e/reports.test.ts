/**
 * The reports pages in Chromium against a real controller and the built admin:
 * each report view (statistics, posting-period compliance, timeliness,
 * checks, satisfaction, registers, annual) opens with real figures in it and
 * has no serious or critical axe-core violation; the CSV links download UTF-8
 * CSV with a byte-order mark; and the print stylesheet leaves the menu and
 * forms off the page while the report stays.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playlist } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, connectKiosk, data, initialPassword, nextEvent, staff, startController } from '../helpers/controller.js';
import { openPage, signIn } from './staff.js';

const AXE_PATH = path.resolve('node_modules/axe-core/axe.min.js');
const TABS = ['stats', 'compliance', 'timeliness', 'checks', 'satisfaction', 'registers', 'annual'] as const;

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  targets: string[];
}

async function audit(page: Page, screen: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, rule: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
}

describe.skipIf(!chromiumPath)('reports pages in Chromium', () => {
  let t: TestController;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    // Figures for every view: a kiosk showing and rating a notice, a paper posting, a request in the register.
    const { editor, reviewer } = await staff(t);
    const kiosk = connectKiosk(t.url, { deviceId: 'demo-kiosk-v2' });
    const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
    const item = playlist.items[0];
    if (!item) throw new Error('the demo kiosk has nothing to show');
    const now = Date.now();
    const base = { noticeId: item.noticeId, contentHash: item.contentHash, clockTrusted: true };
    data(
      await kiosk.emitWithAck('display:report', {
        receipts: [
          { kind: 'display', receiptId: randomUUID(), ...base, startedAt: now - 60_000, endedAt: now - 30_000 },
          { kind: 'interaction', action: 'rated', receiptId: randomUUID(), ...base, at: now - 20_000, rating: 4, comment: '很清楚' },
        ],
      }),
    );
    kiosk.close();
    const today = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
    data((await editor.post('/api/disclosures/manual', { channel: 'board', title: '村务公开栏张贴', disclosedOn: today })).body);
    data(
      (
        await reviewer.post('/api/registers/applications', {
          applicantType: 'natural',
          receivedOn: today,
          subject: '申请公开本村道路修缮资金使用情况',
        })
      ).body,
    );
    ({ page, errors } = await openPage(browser, 'reports', { bypassCSP: true }));
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  const open = async (tab: (typeof TABS)[number]): Promise<void> => {
    await page.getByRole('navigation', { name: '统计报告' }).getByRole('link').nth(TABS.indexOf(tab)).click();
    await page.locator(`.tabs a.active[href="#reports/${tab}"]`).waitFor();
    try {
      // The registers are lists beside their forms; every other view is tables.
      if (tab === 'registers') await page.getByText('申请公开本村道路修缮资金使用情况').first().waitFor({ timeout: 15_000 });
      else await page.locator('.reports-page table').first().waitFor({ timeout: 15_000 });
      await page.locator('.reports-page .loading').waitFor({ state: 'detached' });
    } catch (error) {
      throw new Error(`the ${tab} view never showed its figures: ${(await page.locator('.reports-page').innerText()).slice(0, 600)}`, {
        cause: error,
      });
    }
  };

  it('opens every report view with no serious or critical axe violation', async () => {
    await page.getByRole('link', { name: '统计报告' }).click();
    await page.getByRole('heading', { name: '统计报告', level: 1 }).waitFor();
    const findings: Finding[] = [];
    for (const tab of TABS) {
      await open(tab);
      findings.push(...(await audit(page, tab)));
    }
    // The compliance view shows each notice's verdict and the targeted devices.
    await open('compliance');
    await page.getByText(/共 \d+ 条公示，不合规 \d+ 条/).waitFor();
    expect(await page.locator('.compliance-notice').count()).toBeGreaterThan(0);
    expect(await page.locator('.compliance-notice table tbody tr').count()).toBeGreaterThan(0);
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('downloads CSV from the report views', async () => {
    for (const tab of ['stats', 'compliance'] as const) {
      await open(tab);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
      const file = await download.path();
      const bytes = await readFile(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const header = bytes.toString('utf8').slice(1).split('\r\n')[0];
      expect(header).toEqual(
        tab === 'stats' ? '分组,代码,名称,条数' : expect.stringMatching(/^公告编号,标题,公示开始,公示结束,检查至,结论,原因,设备,/),
      );
      expect(download.suggestedFilename()).toMatch(tab === 'stats' ? /^主动公开统计_.*\.csv$/ : /^公示期合规_.*\.csv$/);
    }
  }, 60_000);

  it('prints the report without the menu, tabs and forms', async () => {
    await open('compliance');
    const hasPrintRules = await page.evaluate(() =>
      [...document.styleSheets].some((sheet) =>
        [...sheet.cssRules].some(
          (rule) => rule instanceof CSSMediaRule && rule.conditionText.includes('print') && rule.cssText.includes('.no-print'),
        ),
      ),
    );
    expect(hasPrintRules).toBe(true);
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('nav.tabs').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
      expect(await page.locator('form.no-print').isVisible()).toBe(false);
      expect(await page.locator('.compliance-notice').first().isVisible()).toBe(true);
      expect(await page.locator('.reports-page table').first().isVisible()).toBe(true);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  }, 60_000);
});
