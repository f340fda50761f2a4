/**
 * A warning in Chromium at the kiosk's real size, with the town's shortest
 * full-screen time (one minute, waited out for real): it takes over on arrival,
 * then hands the screen back under a banner in its level's colour; touching the
 * banner reopens it, and 返回 goes back to the notices under the banner.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

describe.skipIf(!chromiumPath)('a warning on the kiosk in the browser', () => {
  let t: TestController;
  let browser: Browser;
  let admin: ApiClient;
  let reviewer: ApiClient;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    ({ admin, reviewer } = await staff(t));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('holds the whole screen for its level’s time, then lets villagers browse under a banner that reopens it', async () => {
    const oneMinute = { fullScreenMin: 1, againAfterMin: 30 };
    const takeover = { red: { fullScreenMin: 10, againAfterMin: 15 }, orange: oneMinute, yellow: oneMinute, blue: oneMinute };
    expect((await admin.request('PUT', '/api/settings/emergency', { emergencyTakeover: takeover })).status).toBe(200);

    const { page, errors } = await openPage(browser, 'kiosk-warning', { viewport: { width: 1080, height: 1920 } });
    await page.goto(`${t.url}/kiosk/?device=demo-kiosk-v4`);
    await page.waitForFunction(() => document.querySelector('.kiosk-status')?.textContent?.includes('已连接'), undefined, {
      timeout: 15_000,
    });
    const warning = data(
      (
        await reviewer.post<Notice>('/api/notices', {
          title: '苏湾村暴雨黄色预警',
          body: '今晚有大雨，请低洼地带群众注意防范，必要时转移到村委会。',
          category: 'a20-emergency',
          target: { scope: 'villages', villageIds: ['v4'] },
          emergency: { level: 'yellow', expiresAt: Date.now() + 3 * 3600_000 },
        })
      ).body,
    );
    data((await reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body);

    // On arrival: the whole screen, saying when the other notices come back.
    const full = page.locator(`.takeover[data-notice-id="${warning.id}"]`);
    await full.waitFor({ timeout: 10_000 });
    await page.getByText(/后可查看其他公告/).waitFor();
    const arrivedAt = Date.now();

    // After the yellow level's minute: the notices again, under a banner that names the warning.
    await full.waitFor({ state: 'detached', timeout: 90_000 });
    expect(Date.now() - arrivedAt).toBeGreaterThanOrEqual(50_000);
    const banner = page.getByRole('button', { name: /黄色预警.*苏湾村暴雨黄色预警/ });
    await banner.waitFor();
    await page.getByText(/第 \d+ \/ \d+ 条/).waitFor();

    // Touching the banner reopens the warning with a way back; 返回 keeps the banner.
    await banner.click();
    await full.waitFor();
    await page.getByRole('button', { name: /返回/ }).click();
    await full.waitFor({ state: 'detached' });
    await banner.waitFor();
    expect(errors).toEqual([]);
  }, 150_000);
});
