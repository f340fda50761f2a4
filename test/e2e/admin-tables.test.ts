/**
 * The admin's list tables fit a staff PC's screen (issue #15): at 1366×768 and
 * 1280×800, in Chinese and in English, on every list page (notices, devices
 * with a kiosk and a village node, signs, records and registers, channels,
 * users, ledger) every table's last column header and every button in a row
 * lie inside the viewport without scrolling sideways, and no header or button
 * text is cut off (scrollWidth <= clientWidth). Real controller, real Chromium.
 *
 * GONGSHI_SHOTS=<dir> saves each page at each size in each language.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticePage } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type KioskClient, type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { pairKiosk, troubledKiosk } from './kiosks.js';
import { openPage } from './staff.js';

const SHOTS = process.env.GONGSHI_SHOTS;
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 800 },
] as const;
const PAGES = ['#notices', '#devices', '#signs', '#records', '#channels', '#users', '#ledger', '#reports/registers'] as const;

/** What does not fit on the page as shown: tables' last headers and row buttons outside the viewport, cut-off text. */
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const width = document.documentElement.clientWidth;
    const label = (el: Element): string => `${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
    const outside = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.left < 0 || r.right > width + 0.5;
    };
    const cut = (el: Element): boolean => el.scrollWidth > el.clientWidth;
    if (document.documentElement.scrollWidth > width)
      found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    for (const table of document.querySelectorAll('main table')) {
      if (!table.checkVisibility()) continue;
      const name = `table.${table.className || '(no class)'}`;
      const wrap = table.closest('.table-wrap');
      if (wrap && wrap.scrollWidth > wrap.clientWidth) found.push(`${name} scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth})`);
      const headers = [...table.querySelectorAll('thead th')];
      const last = headers.at(-1);
      if (last && outside(last)) found.push(`${name}: last header ${label(last)} outside the viewport`);
      for (const th of headers) if (cut(th)) found.push(`${name}: header ${label(th)} cut off`);
      for (const button of table.querySelectorAll('tbody button, tbody a.button')) {
        if (!button.checkVisibility()) continue;
        if (outside(button)) found.push(`${name}: button ${label(button)} outside the viewport`);
        if (cut(button)) found.push(`${name}: button ${label(button)} cut off`);
      }
    }
    return found;
  });
}

describe.skipIf(!chromiumPath)('the admin list tables fit 1366 and 1280 px wide screens (Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  const sockets: KioskClient[] = [];

  beforeAll(async () => {
    t = await startController();
    const { admin } = await staff(t);
    const kiosk = await pairKiosk(t.url, admin, {
      name: '张堂村村民委员会办公楼一楼大厅触摸屏',
      villageId: 'v3',
      location: '村民委员会办公楼一楼大厅东侧入口处',
    });
    sockets.push(kiosk.socket);
    // The devices page at its busiest: a kiosk that cannot sound the chime, one in trouble (clock, queued,
    // quarantined and lost receipts), and a revoked one.
    data(
      await kiosk.socket.emitWithAck('device:heartbeat', {
        build: 'b-e2e',
        clock: Date.now(),
        showing: null,
        queued: 0,
        quarantined: 0,
        sound: 'blocked',
      }),
    );
    const approved = data((await admin.get<NoticePage>('/api/notices?state=approved')).body).items;
    const shown = approved.find((n) => n.live !== null && n.live.content.emergency === null);
    if (!shown) throw new Error('no published notice for the kiosk to show');
    sockets.push((await troubledKiosk(t.url, admin, shown, 'v2')).socket);
    const replaced = await pairKiosk(t.url, admin, { name: '旧触摸屏', villageId: 'v1' });
    sockets.push(replaced.socket);
    data((await admin.post(`/api/devices/${replaced.deviceId}/revoke`, { reason: '设备更换' })).body);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await browser?.close();
    await t?.dispose();
  });

  for (const locale of ['zh', 'en'] as const) {
    for (const size of SIZES) {
      it(`fits at ${size.width}×${size.height} in ${locale === 'zh' ? 'Chinese' : 'English'}`, async () => {
        const { page, errors } = await openPage(browser, `tables-${locale}-${size.width}`, { viewport: size });
        await page.context().addInitScript((l) => localStorage.setItem('gongshi:admin:locale', l), locale);
        await page.goto(`${t.url}/admin/`);
        await page.locator('#login-username').fill('admin');
        await page.locator('#login-password').fill(await initialPassword(t.dataDir));
        await page.locator('button[type="submit"]').click();
        await page.locator('tr[data-notice-id]').first().waitFor();
        const found: string[] = [];
        let tables = 0;
        for (const hash of PAGES) {
          await page.evaluate((h) => void (window.location.hash = h), hash);
          await page.locator('main h1').first().waitFor();
          await page.waitForTimeout(300);
          await page
            .locator('.loading')
            .first()
            .waitFor({ state: 'detached', timeout: 10_000 })
            .catch(() => undefined);
          tables += await page.locator('main table').count();
          for (const o of await overflows(page)) found.push(`[${hash}] ${o}`);
          if (SHOTS)
            await page.screenshot({
              fullPage: true,
              path: path.join(SHOTS, `tables-${locale}-${size.width}-${hash.slice(1).replace('/', '-')}.png`),
            });
        }
        expect(found).toEqual([]);
        expect(tables).toBeGreaterThanOrEqual(4);
        expect(errors).toEqual([]);
      }, 120_000);
    }
  }
});
