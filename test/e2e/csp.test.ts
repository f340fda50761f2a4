/**
 * The controller's Content-Security-Policy in real Chromium, without
 * bypassCSP: the admin app (signed in, with its /admin socket), the kiosk
 * (with its /kiosk socket and service worker) and a public notice page load
 * and work, and Chromium reports no CSP violation, neither as a
 * `securitypolicyviolation` event nor on the console.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { openPage, signIn } from './staff.js';

/** Collects CSP violations as the page sees them; runs before any page script. */
const RECORD_VIOLATIONS = `(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });
})();`;

describe.skipIf(!chromiumPath)('Content-Security-Policy in Chromium', () => {
  let t: TestController;
  let browser: Browser;
  const consoleCsp: string[] = [];

  /** A page that records violations from its first byte, and every console line that mentions the policy. */
  const watchedPage = async (name: string): Promise<{ page: Page; errors: string[] }> => {
    const watched = await openPage(browser, name);
    await watched.page.addInitScript(RECORD_VIOLATIONS);
    watched.page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) consoleCsp.push(`${name}: ${m.text()}`);
    });
    return watched;
  };
  const violations = (page: Page): Promise<string[]> =>
    page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('the admin app signs in, opens its live socket and shows its pages with no violation', async () => {
    const { page, errors } = await watchedPage('admin');
    // A frame received on socket.io's websocket: the connection was allowed and is live.
    const socketLive = new Promise<string>((resolve) => {
      page.on('websocket', (ws) => {
        if (ws.url().includes('/socket.io/')) ws.once('framereceived', () => resolve(ws.url()));
      });
    });
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    expect(await socketLive).toMatch(/^ws:\/\/.*\/socket\.io\//);
    await page.getByRole('link', { name: /设备/ }).first().click();
    await page.getByRole('heading', { name: /设备/ }).first().waitFor();
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the kiosk connects, shows notices and registers its service worker with no violation', async () => {
    const { page, errors } = await watchedPage('kiosk');
    const socketLive = new Promise<void>((resolve) => {
      page.on('websocket', (ws) => {
        if (ws.url().includes('/socket.io/')) ws.once('framereceived', () => resolve());
      });
    });
    await page.goto(`${t.url}/kiosk/?device=demo-kiosk-v2`);
    await page.locator('.notice-card[data-notice-id]').first().waitFor({ timeout: 30_000 });
    await socketLive;
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration('/kiosk/')) !== undefined, undefined, {
      timeout: 30_000,
    });
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a public notice page shows its text, stylesheet and QR code with no violation', async () => {
    const { editor } = await staff(t);
    const first = data((await editor.get<{ items: { id: string; title: string }[] }>('/api/notices?state=approved')).body).items[0];
    if (!first) throw new Error('the demo town has no approved notice');
    const { page, errors } = await watchedPage('public');
    await page.goto(`${t.url}/n/${first.id}`);
    await page.getByRole('heading', { name: first.title }).waitFor();
    const styled = await page.evaluate(() => [...document.styleSheets].some((s) => (s.href ?? '').includes('/n/style.css')));
    expect(styled).toBe(true);
    const qr = page.locator('img[src$="qr.svg"]');
    if ((await qr.count()) > 0) expect(await qr.first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('every printable page is styled from a file with no violation: the annual report’s print version and the report tabs in print', async () => {
    const { page, errors } = await watchedPage('print');
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    const thisYear = new Date().getFullYear();
    const { reviewer } = await staff(t);
    // The 2021 format from the 2021 report on, the 2019 one before it.
    for (const [year, version] of [
      [thisYear, 'V2021'],
      [2020, 'V2019'],
    ] as const) {
      const sections = { problems: '个别村公示栏更新不及时。', other: '无。' };
      data((await reviewer.request('PUT', `/api/reports/annual/${year}/${version}`, sections)).body);
      await page.goto(`${t.url}/api/reports/annual/${year}/${version}/html`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The stylesheet applied: every table cell ruled, the body in the A4 column.
      const look = await page.evaluate(() => ({
        border: getComputedStyle(document.querySelector('td') ?? document.body).borderTopStyle,
        width: document.body.getBoundingClientRect().width,
        sheets: [...document.styleSheets].map((sheet) => sheet.href ?? 'inline'),
      }));
      expect(look).toMatchObject({ border: 'solid', sheets: [`${t.url}/api/reports/annual.css`] });
      expect(look.width).toBeLessThan(620); // 156 mm at 96 dpi is 590 px
      await page.emulateMedia({ media: 'print' });
      expect(await violations(page)).toEqual([]);
      await page.emulateMedia({ media: 'screen' });
    }
    await page.goto(`${t.url}/admin/#/reports`);
    for (const tab of await page.locator('nav.tabs a, nav.tabs button').all()) {
      await tab.click();
      await page.emulateMedia({ media: 'print' });
      await page.emulateMedia({ media: 'screen' });
    }
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reports violations when there are some (the check above can fail)', async () => {
    const { page } = await watchedPage('control');
    await page.goto(`${t.url}/admin/`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.body.append(s);
    });
    await page.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length > 0);
    expect(await page.evaluate(() => 'inlineRan' in window || '__inlineRan' in window)).toBe(false);
    expect((await violations(page)).join('\n')).toMatch(/script-src/);
    await page.context().close();
  });

  it('the console said nothing about the policy on any of those pages', () => {
    expect(consoleCsp.filter((line) => !line.startsWith('control:'))).toEqual([]);
  });
});
