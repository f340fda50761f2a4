/**
 * axe-core in Chromium on every kiosk screen, at 1920×1080 landscape and
 * 1080×1920 portrait: the rotation, category tiles, the list, search with the
 * on-screen keyboard, a notice in each text size and in high contrast, the QR
 * code, the rating, and an emergency takeover. No serious or critical
 * violation anywhere. With KIOSK_SCREENSHOTS=<dir> it also saves a PNG of each.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type TestController, data, staff, startController } from '../helpers/controller.js';
import { type WatchedPage, openPage } from './staff.js';

const AXE_PATH = path.resolve('node_modules/axe-core/axe.min.js');
const SCREENSHOTS = process.env.KIOSK_SCREENSHOTS ?? '';
const SIZES = [
  { name: 'landscape', viewport: { width: 1920, height: 1080 } },
  { name: 'portrait', viewport: { width: 1080, height: 1920 } },
] as const;
/** 张堂村's demo kiosk: it has the town's notices and 张堂村低保对象动态调整公示. */
const KIOSK = '/kiosk/?device=demo-kiosk-v2';

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

/** Gives headless Chromium (which has no voices) one zh-CN voice, so the read-aloud button is there to check. */
const FAKE_VOICE = `(() => {
  const voice = { lang: 'zh-CN', name: '普通话', localService: true, default: true, voiceURI: 'fake-zh' };
  if (!window.speechSynthesis) return;
  window.speechSynthesis.getVoices = () => [voice];
  window.speechSynthesis.speak = () => {};
})();`;

describe.skipIf(!chromiumPath)('kiosk accessibility (axe-core in Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  const findings: Finding[] = [];
  const checked: string[] = [];

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  const check = async (page: Page, size: string, screen: string): Promise<void> => {
    const name = `${size} ${screen}`;
    checked.push(name);
    // Let transitions and images settle so the screenshot and the contrast check see the final screen.
    await page.waitForTimeout(150);
    findings.push(...(await audit(page, name)));
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${size}-${screen.replace(/\W+/g, '-')}.png`) });
  };

  async function openKiosk(size: (typeof SIZES)[number]): Promise<WatchedPage> {
    const watched = await openPage(browser, `kiosk-${size.name}`, { viewport: size.viewport, bypassCSP: true });
    await watched.page.addInitScript(FAKE_VOICE);
    await watched.page.goto(`${t.url}${KIOSK}`);
    await watched.page.locator('.notice-card[data-notice-id]').first().waitFor({ timeout: 30_000 });
    return watched;
  }

  it('reports what it should: the kiosk page with a pale text and an unnamed button added fails', async () => {
    const { page } = await openKiosk(SIZES[0]);
    await page.evaluate(() => {
      const main = document.querySelector('main');
      main?.insertAdjacentHTML('beforeend', '<p style="color:#ccc;background:#fff">浅色文字</p><button type="button"></button>');
    });
    const rules = (await audit(page, 'control')).map((f) => f.rule).sort();
    expect(rules).toEqual(['button-name', 'color-contrast']);
    await page.context().close();
  });

  it('finds no serious or critical violation on any screen, in landscape and portrait', async () => {
    const pages: WatchedPage[] = [];
    for (const size of SIZES) {
      const kiosk = await openKiosk(size);
      pages.push(kiosk);
      const { page } = kiosk;
      await check(page, size.name, 'attract');

      await page.getByRole('button', { name: /查看全部公告/ }).click();
      await page.getByRole('heading', { name: '请选择要查看的公告类别' }).waitFor();
      await check(page, size.name, 'browse tiles');

      await page.getByRole('button', { name: /全部公告/ }).click();
      await page.locator('.list-item').first().waitFor();
      await check(page, size.name, 'list');

      await page.getByRole('button', { name: '搜索', exact: true }).click();
      for (const key of ['D', 'B', 'G', 'S']) await page.getByRole('button', { name: key, exact: true }).click();
      const hit = page.locator('.search-results .list-item', { hasText: '张堂村低保对象动态调整公示' });
      await hit.waitFor();
      await check(page, size.name, 'search with keyboard');

      await hit.click();
      await page.locator('.detail').waitFor();
      await check(page, size.name, 'detail standard size');
      await page.getByRole('button', { name: '字号大' }).click();
      await check(page, size.name, 'detail large size');
      await page.getByRole('button', { name: '字号特大' }).click();
      await check(page, size.name, 'detail extra large size');
      await page.getByRole('button', { name: '高对比度' }).click();
      await check(page, size.name, 'detail high contrast');
      await expect(page.getByRole('button', { name: '朗读' }).isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: '高对比度' }).click();
      await page.getByRole('button', { name: '字号标准' }).click();

      await page.getByRole('button', { name: '手机扫码' }).click();
      await page.locator('img.qr').waitFor();
      await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('img.qr')?.naturalWidth ?? 0) > 0);
      await check(page, size.name, 'QR code');

      await page.getByRole('button', { name: '评价' }).click();
      await page.getByRole('button', { name: '满意', exact: true }).click();
      await page.getByRole('button', { name: '内容清楚' }).click();
      await check(page, size.name, 'rating');
      await page.getByRole('button', { name: '提交评价' }).click();
      await page.getByText('谢谢您的评价！').waitFor();
      await check(page, size.name, 'rating thanks');

      await page.getByRole('button', { name: '结束查看' }).click();
      await page.locator('.notice-card[data-notice-id]').first().waitFor();
    }

    // A red warning for 张堂村 takes over both screens.
    const { editor, reviewer } = await staff(t);
    const created = await editor.post<Notice>('/api/notices', {
      title: '暴雨红色预警',
      body: '预计今天夜间有特大暴雨。\n\n请低洼地带群众立即转移到村委会或学校，远离河道和山坡。紧急求助请拨打110或村委会电话。',
      category: 'a20-emergency',
      target: { scope: 'villages', villageIds: ['v2'] },
      emergency: { level: 'red', expiresAt: Date.now() + 3_600_000 },
    });
    const warning = data(created.body);
    data((await editor.post(`/api/notices/${warning.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION })).body);
    for (const [i, size] of SIZES.entries()) {
      const page = pages[i]?.page;
      if (!page) throw new Error('page missing');
      const takeover = page.locator(`.takeover[data-notice-id="${warning.id}"]`);
      await takeover.waitFor({ timeout: 5000 });
      await expect(takeover.innerText()).resolves.toMatch(/红色预警\s*一级/);
      await check(page, size.name, 'emergency takeover');
    }
    // Cancelled (withdrawn): the takeover leaves and the rotation comes back.
    data((await reviewer.post(`/api/notices/${warning.id}/withdraw`, { reason: '预警解除' })).body);
    for (const watched of pages) {
      await watched.page.locator('.takeover').waitFor({ state: 'detached', timeout: 5000 });
      await watched.page.locator('.notice-card[data-notice-id]').first().waitFor();
    }

    // The public page the QR code opens, on a phone: a published notice, and the withdrawn warning.
    const list = data((await editor.get<{ items: { id: string; title: string }[] }>('/api/notices?state=approved')).body);
    const dibao = list.items.find((n) => n.title === '张堂村低保对象动态调整公示');
    if (!dibao) throw new Error('demo notice missing');
    const phone = await openPage(browser, 'phone', { viewport: { width: 390, height: 844 }, bypassCSP: true });
    pages.push(phone);
    await phone.page.goto(`${t.url}/n/${dibao.id}`);
    await phone.page.getByRole('heading', { name: '张堂村低保对象动态调整公示' }).waitFor();
    await check(phone.page, 'phone', 'public page');
    await phone.page.goto(`${t.url}/n/${warning.id}`);
    await phone.page.getByText('撤回原因：').waitFor();
    await check(phone.page, 'phone', 'public page withdrawn');

    process.stdout.write(`axe checked ${checked.length} kiosk screens: ${checked.join(' · ')}\n`);
    expect(findings).toEqual([]);
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
    // Two sizes × a dozen screens, axe on each: longer than the suite's default per test.
  }, 240_000);
});
