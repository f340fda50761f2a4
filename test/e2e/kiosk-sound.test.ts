/**
 * The warning chime in Chromium as the kiosk's documented flags start it
 * (docs/OPERATIONS.md §13): without `--autoplay-policy=no-user-gesture-required`
 * an untouched kiosk cannot start its AudioContext, says so in its heartbeat
 * and staff see it on the devices page; with the flag it can sound at once.
 */
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DeviceView } from '../../controller/protocol/index.js';
import { chromiumPath } from '../helpers/browser.js';
import { data, staff, startController } from '../helpers/controller.js';

/** The flags the operations guide gives a kiosk's Chromium (less --kiosk, which needs a display), plus headless for the test. */
const KIOSK_FLAGS = ['--autoplay-policy=no-user-gesture-required'];
const BASE = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

describe.skipIf(!chromiumPath)('the warning chime in Chromium', () => {
  it('is reported blocked on an untouched kiosk without the autoplay flag, and playable with it', async () => {
    const t = await startController();
    try {
      const { admin } = await staff(t);
      const soundOf = async (id: string): Promise<string | undefined> =>
        data((await admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === id)?.status?.sound;
      for (const [flags, device, expected] of [
        [[], 'demo-kiosk-v3', 'blocked'],
        [KIOSK_FLAGS, 'demo-kiosk-v4', 'ok'],
      ] as const) {
        const browser = await chromium.launch({ executablePath: chromiumPath ?? '', headless: true, args: [...BASE, ...flags] });
        try {
          const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
          await page.goto(`${t.url}/kiosk/?device=${device}`);
          await page.locator('.notice-card[data-notice-id]').first().waitFor({ timeout: 30_000 });
          await expect.poll(() => soundOf(device), { timeout: 15_000 }).toBe(expected);
          const state = await page.evaluate(async () => {
            const ctx = new AudioContext();
            await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 500))]);
            return ctx.state;
          });
          expect(state).toBe(expected === 'ok' ? 'running' : 'suspended');
          if (expected === 'blocked') {
            // A touch is the gesture the policy waits for: the kiosk can sound from then on, and says so.
            await page.mouse.click(10, 300);
            await expect.poll(() => soundOf(device), { timeout: 15_000 }).toBe('ok');
          }
        } finally {
          await browser.close();
        }
      }
    } finally {
      await t.dispose();
    }
  }, 120_000);
});
