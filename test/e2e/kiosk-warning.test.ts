/**
 * A warning in Chromium at the kiosk's real size, with the town's shortest
 * full-screen time (one minute, the least the settings API takes, waited out
 * once for real): it takes over on arrival, then hands the screen back under a
 * banner in its level's colour; touching the banner reopens it, and 返回 goes
 * back to the notices under the banner. While a villager is reading a notice,
 * staff update the warning through the controller: the kiosk takes the whole
 * screen again at once, with the new text, saying it was updated and when,
 * and a fresh minute; the banner after it says 已更新; the kiosk acknowledges
 * the new version.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOWN_UTC_OFFSET_MINUTES } from '../../controller/protocol/calendar.js';
import type { EmergencyAckView, Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

/** Where to keep the screenshots (looked at by a person); none when unset. */
const SHOTS = process.env.KIOSK_SCREENSHOTS ?? '';

const inTown = (ms: number): Date => new Date(ms + TOWN_UTC_OFFSET_MINUTES * 60_000);
/** HH:MM on the town's clock, as the kiosk shows it. */
const townClock = (ms: number): string => inTown(ms).toISOString().slice(11, 16);
/** 2026年12月8日 on the town's calendar, as the kiosk shows it. */
const townDate = (ms: number): string => `${inTown(ms).getUTCFullYear()}年${inTown(ms).getUTCMonth() + 1}月${inTown(ms).getUTCDate()}日`;

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

  const shot = async (page: Page, name: string): Promise<void> => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/warning-${name}.png` });
  };

  it('holds the whole screen for its level’s time, lets villagers browse under a banner that reopens it, and takes over again when staff update it', async () => {
    // A yellow warning holds the screen for the least the settings take; its scheduled return is far off, so only the update can bring it back.
    const oneMinute = { fullScreenMin: 1, againAfterMin: 30 };
    const takeover = { red: { fullScreenMin: 10, againAfterMin: 15 }, orange: oneMinute, yellow: oneMinute, blue: oneMinute };
    expect((await admin.request('PUT', '/api/settings/emergency', { emergencyTakeover: takeover })).status).toBe(200);

    const { page, errors } = await openPage(browser, 'kiosk-warning', { viewport: { width: 1080, height: 1920 } });
    await page.goto(`${t.url}/kiosk/?device=demo-kiosk-v4`);
    await page.waitForFunction(() => document.querySelector('.kiosk-status')?.textContent?.includes('已连接'), undefined, {
      timeout: 15_000,
    });
    const content = {
      title: '苏湾村暴雨黄色预警',
      body: '今晚有大雨，请低洼地带群众注意防范，必要时转移到村委会。',
      category: 'a20-emergency',
      target: { scope: 'villages', villageIds: ['v4'] },
      emergency: { level: 'yellow', expiresAt: Date.now() + 3 * 3600_000 },
    };
    const warning = data((await reviewer.post<Notice>('/api/notices', content)).body);
    data((await reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body);

    // On arrival: the whole screen, saying when the other notices come back.
    const full = page.locator(`.takeover[data-notice-id="${warning.id}"]`);
    await full.waitFor({ timeout: 10_000 });
    await page.getByText(/后可查看其他公告/).waitFor();
    const arrivedAt = Date.now();
    expect(await full.locator('.takeover-updated').count()).toBe(0);
    await shot(page, '1-arrival');

    // After the yellow level's minute: the notices again, under a banner that names the warning.
    await full.waitFor({ state: 'detached', timeout: 90_000 });
    expect(Date.now() - arrivedAt).toBeGreaterThanOrEqual(50_000);
    const banner = page.getByRole('button', { name: /黄色预警.*苏湾村暴雨黄色预警/ });
    await banner.waitFor();
    await page.getByText(/第 \d+ \/ \d+ 条/).waitFor();
    await shot(page, '2-banner');

    // Touching the banner reopens the warning with a way back; 返回 keeps the banner.
    await banner.click();
    await full.waitFor();
    await shot(page, '3-reopened');
    await page.getByRole('button', { name: /返回/ }).click();
    await full.waitFor({ state: 'detached' });
    await banner.waitFor();

    // A villager opens another notice and reads it under the banner.
    await page.getByRole('button', { name: /查看全部公告/ }).click();
    await page.locator('.tile-all').click();
    const other = page.locator('.list-item[data-notice-id]').filter({ hasNotText: '预警' }).first();
    const otherId = await other.getAttribute('data-notice-id');
    await other.click();
    const reading = page.locator(`.detail[data-notice-id="${otherId}"]`);
    await reading.waitFor();
    await banner.waitFor();
    await shot(page, '4-reading-under-banner');

    // Staff update the warning (the rain is heavier, it runs longer) on the fast path.
    const updated = {
      ...content,
      body: '雨势加大，预计持续到明天上午。低洼地带群众请立即转移到村委会。',
      emergency: { level: 'yellow', expiresAt: Date.now() + 6 * 3600_000 },
    };
    data((await reviewer.request('PUT', `/api/notices/${warning.id}/draft`, { content: updated })).body);
    data((await reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    const updatedAt = Date.now();
    const revised = data(
      (await reviewer.post<Notice>(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body,
    );

    // The whole screen again at once, over the villager's reading, with the new text and a fresh minute.
    await full.waitFor({ timeout: 5_000 });
    const tookOverAt = Date.now();
    expect(tookOverAt - updatedAt).toBeLessThan(5_000);
    await full.getByText('雨势加大').waitFor();
    // Said to be an update, with when, so a villager who saw it before reads it again.
    const at = revised.live?.review?.at ?? 0;
    await expect(full.locator('.takeover-updated').innerText()).resolves.toBe(`本预警已于 ${townDate(at)} ${townClock(at)} 更新`);
    expect(await reading.count()).toBe(0);
    expect(await page.getByRole('button', { name: /返回/ }).count()).toBe(0);
    const until = await full.locator('.takeover-until').innerText();
    expect([townClock(updatedAt + 60_000), townClock(tookOverAt + 60_000)].map((c) => `${c} 后可查看其他公告`)).toContain(until);
    await shot(page, '5-updated');

    // The new version is acknowledged by the kiosk, as every version of a warning is.
    await expect
      .poll(
        async () => {
          const acks = data((await admin.get<EmergencyAckView>(`/api/notices/${warning.id}/emergency-acks`)).body);
          return (
            acks.contentHash === revised.live?.contentHash &&
            acks.devices.some((d) => d.deviceId === 'demo-kiosk-v4' && d.acknowledgedAt !== null)
          );
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(errors).toEqual([]);
  }, 150_000);
});
