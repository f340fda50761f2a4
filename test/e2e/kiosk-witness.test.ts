/**
 * The kiosk as a witness of the ledger, in real Chromium: it takes the
 * controller's signed checkpoint when it connects; the controller is stopped,
 * its signing key replaced, and restarted on the same port; the kiosk
 * reconnects, finds checkpoints signed by another key and shows the alarm in
 * words on its screen, reports it (the 公开账本 page's answer lists it), and
 * keeps it after a reload: the controller has no way to clear it.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS_DIR } from '../../controller/ops/keys.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, restartController, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

const DEVICE = 'demo-kiosk-v1';

describe.skipIf(!chromiumPath)('kiosk witness alarm in Chromium', () => {
  let t: TestController;
  let again: TestController | undefined;
  let browser: Browser;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await again?.dispose();
    if (!again) await t?.dispose();
  });

  it('shows the alarm when the controller signs with another key, and keeps it', async () => {
    const { page } = await openPage(browser, 'kiosk-witness', {
      viewport: { width: 1080, height: 1920 },
      expected: [/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/],
    });
    await page.goto(`${t.url}/kiosk/?device=${DEVICE}`);
    const key = `gongshi.witness.${DEVICE}`;
    await page.waitForFunction((k) => (JSON.parse(localStorage.getItem(k) ?? '{}') as { checkpoint?: unknown }).checkpoint, key, {
      timeout: 20_000,
    });
    await expect(page.locator('.kiosk-ledger-alarm').count()).resolves.toBe(0);

    await t.stop();
    await rename(path.join(t.dataDir, KEYS_DIR), path.join(t.dataDir, 'keys-old'));
    again = await restartController(t);

    const alarm = page.locator('.kiosk-ledger-alarm');
    await alarm.waitFor({ timeout: 30_000 });
    expect(await alarm.getAttribute('data-alarm')).toBe('key-replaced');
    expect(await alarm.textContent()).toContain('公开账本核对异常');
    expect(await alarm.getAttribute('role')).toBe('alert');

    const { admin } = await staff(again);
    const integrity = data((await admin.get<{ witnessAlarms: { deviceId: string; kind: string }[] }>('/api/ledger/integrity')).body);
    expect(integrity.witnessAlarms).toContainEqual(expect.objectContaining({ deviceId: DEVICE, kind: 'key-replaced' }));

    await page.reload();
    await page.locator('.kiosk-ledger-alarm').waitFor({ timeout: 20_000 });
  }, 120_000);
});
