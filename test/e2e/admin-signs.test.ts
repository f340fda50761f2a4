/**
 * The LED signs page in Chromium against a real controller with its demo's
 * emulated signs: no serious or critical axe violation on the page or the
 * profile dialog; the admin's buttons change what the live dot matrix shows
 * (pushed over socket.io — the page never polls); a wrong profile entry is
 * named next to its field.
 */
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignView } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { type WatchedPage, openPage, signIn } from './staff.js';

const AXE_PATH = path.resolve('node_modules/axe-core/axe.min.js');
const SIGN = 'demo-sign-2';

async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact ?? ''} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** What the dot matrix shows: its accessible name (the text) and its pixels. */
async function matrix(card: Locator): Promise<{ label: string; pixels: string }> {
  const canvas = card.locator('canvas.led-matrix');
  const label = (await canvas.getAttribute('aria-label')) ?? '';
  const pixels = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  return { label, pixels };
}

/** Waits until the dot matrix shows something other than `before` whose label matches `shows`. */
async function matrixChanges(card: Locator, before: { pixels: string }, shows: RegExp): Promise<{ label: string; pixels: string }> {
  const until = Date.now() + 15_000;
  for (;;) {
    const now = await matrix(card);
    if (now.pixels !== before.pixels && shows.test(now.label)) return now;
    if (Date.now() > until) throw new Error(`the dot matrix did not change to ${shows}; it says ${now.label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!chromiumPath)('LED signs page (Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  let watched: WatchedPage;
  const polled: string[] = [];

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    watched = await openPage(browser, 'admin', { bypassCSP: true });
    watched.page.on('request', (r) => {
      if (/\/api\/signs\/[^/]+\/frame/.test(r.url())) polled.push(r.url());
    });
    await signIn(watched.page, t.url, 'admin', await initialPassword(t.dataDir));
    await watched.page.goto(`${t.url}/admin/#signs`);
    await watched.page.getByRole('heading', { name: 'LED 屏', level: 1 }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('shows every emulated sign with its live dot matrix and has no serious or critical axe violation', async () => {
    const { page } = watched;
    const card = page.locator(`li[data-sign="${SIGN}"]`);
    await card.locator('canvas.led-matrix').waitFor();
    expect(await page.locator('li.sign-card').count()).toBe(4);
    await expect.poll(() => card.getByText('已连接').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('test pattern, re-send, clear and brightness change the sign, and the dot matrix follows without polling', async () => {
    const { page } = watched;
    const card = page.locator(`li[data-sign="${SIGN}"]`);
    const first = await matrix(card);

    await card.getByRole('button', { name: '测试图案' }).click();
    const pattern = await matrixChanges(card, first, /测试TEST/);

    // Re-send ends the manual hold: the sign's rotation puts its notice back.
    await card.getByRole('button', { name: '重发' }).click();
    const resumed = await matrixChanges(card, pattern, /^(?!.*测试TEST)/);

    await card.getByRole('button', { name: '清屏' }).click();
    await matrixChanges(card, resumed, /: —$/);
    await card.getByText('（空白）').waitFor();

    await card.getByRole('spinbutton', { name: '亮度' }).fill('4');
    await card.getByRole('button', { name: '设亮度' }).click();
    await page.getByText(/亮度完成/).waitFor();
    const { editor } = await staff(t);
    const view = data((await editor.get<SignView[]>('/api/signs')).body).find((s) => s.id === SIGN);
    expect(view?.brightness).toBe(4);

    expect(polled).toEqual([]);
    expect(watched.errors).toEqual([]);
  });

  it('names a wrong profile entry next to its field, and the dialog passes axe', async () => {
    const { page } = watched;
    await page.getByRole('button', { name: '添加LED屏' }).click();
    const dialog = page.getByRole('dialog', { name: '添加LED屏' });
    await dialog.waitFor();
    await dialog.getByLabel('编号').fill('Bad Id!');
    await dialog.getByLabel('宽（像素）').fill('abc');
    await dialog.getByRole('button', { name: '保存配置' }).click();
    const idError = dialog.locator('#sign-id-error');
    await idError.waitFor();
    expect(await idError.textContent()).toMatch(/小写字母|lower-case/);
    await dialog.locator('#sign-widthPx-error').waitFor();
    expect(await dialog.getByLabel('编号').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('宽（像素）').getAttribute('aria-describedby')).toContain('sign-widthPx-error');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
