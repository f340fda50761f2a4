/**
 * Pairing a kiosk end to end in Chromium: a new kiosk page shows its code; the
 * admin, by keyboard, types it into 配对新触摸屏 with a name, village and place;
 * the kiosk collects its token and starts showing its village's notices, and
 * the admin's table lists it online with what it shows.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { openPage, signIn } from './staff.js';

describe.skipIf(!chromiumPath)('pairing a kiosk from the admin app', () => {
  let t: TestController;
  let browser: Browser;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('pairs the kiosk by the code it shows; the kiosk gets its token and the table shows it online', async () => {
    const { editor, reviewer } = await staff(t);
    const title = `苏湾村新农合缴费公示 ${Date.now()}`;
    const notice = data(
      (await editor.post<Notice>('/api/notices', { title, body: '缴费截止12月31日。', target: { scope: 'villages', villageIds: ['v4'] } }))
        .body,
    );
    data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);

    const kiosk = await openPage(browser, 'kiosk', { viewport: { width: 1920, height: 1080 } });
    await kiosk.page.goto(`${t.url}/kiosk/`);
    const code = ((await kiosk.page.locator('.kiosk-pairing-code').textContent({ timeout: 10_000 })) ?? '').replace(/\D/g, '');
    expect(code).toMatch(/^\d{6}$/);

    // The wrong code's refusal is part of the scenario; Chromium logs it.
    const admin = await openPage(browser, 'admin', { expected: [/status of 404/] });
    const { page } = admin;
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('heading', { name: '设备', level: 1 }).waitFor();
    const before = await page.locator('tr[data-device-id]').count();

    await page.getByRole('button', { name: '配对新触摸屏' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '配对新触摸屏' });
    await dialog.waitFor();
    // The dialog opens on the code box; the rest follows by Tab.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pair-code');
    await page.keyboard.type('000000');
    await page.keyboard.press('Tab');
    await page.keyboard.type('苏湾村村委会触摸屏');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pair-village');
    await dialog.getByLabel('所属村').selectOption({ label: '苏湾村' });
    await page.keyboard.press('Tab');
    await page.keyboard.type('村委会大门东侧');
    await page.keyboard.press('Enter');
    // A wrong code is refused next to the code box, and the dialog stays open with what was typed.
    await dialog.getByText('没有触摸屏显示这个配对码。请核对数字，或刷新触摸屏获取新码').waitFor();
    expect(await dialog.getByLabel('配对码', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('配对码', { exact: true }).fill(code);
    await dialog.getByLabel('配对码', { exact: true }).press('Enter');
    await page.getByText('已配对 苏湾村村委会触摸屏。触摸屏将在几秒内自动连接。').waitFor();
    expect(await dialog.count()).toBe(0);

    // The kiosk claimed its token, connected and shows its village's notice.
    await kiosk.page.getByText(title).first().waitFor({ timeout: 15_000 });
    expect(await kiosk.page.locator('.kiosk-pairing-code').count()).toBe(0);

    // The admin's table, live: the new kiosk online, in 苏湾村, with its place and what it shows.
    const row = page.locator('tr[data-device-id]', { hasText: '苏湾村村委会触摸屏' });
    await row.waitFor();
    expect(await page.locator('tr[data-device-id]').count()).toBe(before + 1);
    // The kiosk knows itself by the new device's id (its token, claimed once, opened the socket).
    const deviceId = await row.getAttribute('data-device-id');
    expect(deviceId).toBeTruthy();
    expect(await kiosk.page.evaluate(() => JSON.stringify(window.localStorage))).toContain(deviceId);
    await row.locator('[data-online="true"]').waitFor({ timeout: 10_000 });
    await row.getByText(title).waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    expect(text).toContain('苏湾村');
    expect(text).toContain('村委会大门东侧');
    expect(text).toContain('在线');
    expect([...kiosk.errors, ...admin.errors]).toEqual([]);
  });
});
