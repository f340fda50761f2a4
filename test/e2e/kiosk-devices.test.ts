/**
 * Kiosk devices in Chromium against a real controller: a new kiosk shows a
 * pairing code, staff enter it and the kiosk starts showing its village's
 * notices; revoked, it drops back to the pairing screen. An emergency
 * approved on the fast path takes over a kiosk within a second and is
 * acknowledged; withdrawn, it leaves the screen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, EmergencyAckView, Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

describe.skipIf(!chromiumPath)('kiosk devices in the browser', () => {
  let t: TestController;
  let browser: Browser;
  let admin: ApiClient;
  let editor: ApiClient;
  let reviewer: ApiClient;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    ({ admin, editor, reviewer } = await staff(t));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('pairs a new kiosk by its code, shows the village’s notices, and returns to pairing when revoked', async () => {
    const notice = data(
      (
        await editor.post<Notice>('/api/notices', {
          title: '宋营村集体收支公示',
          body: '详见附表。',
          target: { scope: 'villages', villageIds: ['v3'] },
        })
      ).body,
    );
    data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);

    const { page, errors } = await openPage(browser, 'kiosk', { viewport: { width: 1080, height: 1920 } });
    await page.goto(`${t.url}/kiosk/`);
    const codeText = await page.locator('.kiosk-pairing-code').textContent({ timeout: 10_000 });
    const code = (codeText ?? '').replace(/\D/g, '');
    expect(code).toMatch(/^\d{6}$/);

    const device = data(
      (await admin.post<DeviceView>('/api/devices/pair', { code, name: '宋营村村委会', villageId: 'v3', location: '村委会大门' })).body,
    );
    await page.getByText('宋营村集体收支公示').first().waitFor({ timeout: 10_000 });
    await page.getByText('宋营村', { exact: true }).first().waitFor();
    // The heartbeat on connect tells the admin what is on screen.
    await expect
      .poll(
        async () => data((await admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === device.id)?.status?.showing?.title,
        {
          timeout: 10_000,
        },
      )
      .toBe('宋营村集体收支公示');

    // A reload keeps the pairing.
    await page.reload();
    await page.getByText('宋营村集体收支公示').first().waitFor({ timeout: 10_000 });

    data((await admin.post(`/api/devices/${device.id}/revoke`, { reason: '设备更换' })).body);
    await page.getByText('配对此屏幕').waitFor({ timeout: 5_000 });
    await page.getByText(/设备更换/).waitFor();
    await page.locator('.kiosk-pairing-code').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('takes over a kiosk within a second of a fast-path approval, acknowledges it, and clears it on withdrawal', async () => {
    const { page, errors } = await openPage(browser, 'kiosk-emergency', { viewport: { width: 1920, height: 1080 } });
    await page.goto(`${t.url}/kiosk/?device=demo-kiosk-v4`);
    await page.locator('.kiosk-status').waitFor();
    await page.waitForFunction(() => document.querySelector('.kiosk-status')?.textContent?.includes('已连接'), undefined, {
      timeout: 10_000,
    });

    const warning = data(
      (
        await reviewer.post<Notice>('/api/notices', {
          title: '苏湾村暴雨橙色预警',
          body: '今晚有大暴雨，请低洼地带群众立即转移到村委会。',
          category: 'a20-emergency',
          target: { scope: 'villages', villageIds: ['v4'] },
          emergency: { level: 'orange', expiresAt: Date.now() + 3600_000 },
        })
      ).body,
    );
    data((await reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    // The page notes when the takeover appears, so the figure does not include the test's own polling.
    await page.evaluate(() => {
      const w = window as unknown as { takeoverAt?: number };
      new MutationObserver((_, observer) => {
        if (document.querySelector('.takeover')) {
          w.takeoverAt = Date.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const approved = data(
      (await reviewer.post<Notice>(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body,
    );
    const approvedAt = Date.now();
    await page.locator(`.takeover[data-notice-id="${warning.id}"]`).waitFor({ timeout: 5_000 });
    const tookMs = (await page.evaluate(() => (window as unknown as { takeoverAt: number }).takeoverAt)) - approvedAt;
    console.log(`emergency took over the kiosk ${tookMs} ms after the approval was acknowledged`);
    expect(tookMs).toBeLessThan(1_000);
    await page.getByText('橙色预警').first().waitFor();

    await expect
      .poll(
        async () =>
          data((await admin.get<EmergencyAckView>(`/api/notices/${warning.id}/emergency-acks`)).body).devices.find(
            (d) => d.deviceId === 'demo-kiosk-v4',
          )?.acknowledgedAt ?? null,
        { timeout: 10_000 },
      )
      .not.toBeNull();
    expect(approved.live?.review?.fastPath).toBe(true);

    data((await reviewer.post(`/api/notices/${warning.id}/withdraw`, { reason: '预警解除' })).body);
    await page.locator('.takeover').waitFor({ state: 'detached', timeout: 5_000 });
    expect(errors).toEqual([]);
  });
});
