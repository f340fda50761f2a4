/**
 * The kiosk's screens in Chromium as a villager sees them: every date and
 * time in the town's zone although the kiosk PC is set far from it.
 */
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath } from '../helpers/browser.js';
import { data, staff } from '../helpers/controller.js';
import { controllerAndBrowser, openPage } from './staff.js';

const SHOTS = process.env.GONGSHI_SHOTS;
/** 张堂村's demo kiosk. */
const KIOSK = '/kiosk/?device=demo-kiosk-v2';

/** How the town reads an instant, worked out independently of the kiosk's code. */
function inTown(ms: number): { date: string; clock: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const weekday = { Sun: '日', Mon: '一', Tue: '二', Wed: '三', Thu: '四', Fri: '五', Sat: '六' }[parts.weekday ?? ''] ?? '?';
  return {
    date: `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日`,
    clock: `${parts.hour}:${parts.minute}`,
    weekday: `星期${weekday}`,
  };
}

describe.skipIf(!chromiumPath)('kiosk screens in Chromium', () => {
  const suite = controllerAndBrowser();

  it('shows the clock, the date and every posting period in the town’s zone on a kiosk PC set to Los Angeles', async () => {
    const { page, errors } = await openPage(suite.browser, 'kiosk', {
      viewport: { width: 1080, height: 1920 },
      timezoneId: 'America/Los_Angeles',
    });
    await page.goto(`${suite.t.url}${KIOSK}`);
    const card = page.locator('.notice-card[data-notice-id]');
    await card.waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');

    const before = inTown(Date.now());
    const shown = `${await page.locator('.kiosk-time').innerText()} ${await page.locator('.kiosk-date').innerText()}`;
    const after = inTown(Date.now());
    expect([`${before.clock} ${before.date} ${before.weekday}`, `${after.clock} ${after.date} ${after.weekday}`]).toContain(shown);

    const { admin } = await staff(suite.t);
    const id = await card.getAttribute('data-notice-id');
    const live = data((await admin.get<Notice>(`/api/notices/${id}`)).body).live;
    if (!live || live.startsAt === null) throw new Error('the card shows a notice with no posting window');
    const period =
      live.endsAt === null ? `${inTown(live.startsAt).date} 起，长期` : `${inTown(live.startsAt).date} 至 ${inTown(live.endsAt - 1).date}`;
    expect(await card.locator('.notice-meta').innerText()).toContain(period);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/kiosk-zone-portrait.png` });

    // The list a villager browses says the same.
    await page.getByRole('button', { name: /查看全部公告/ }).click();
    await page.locator('.tile-all').click();
    await expect(page.locator(`.list-item[data-notice-id="${id}"]`).innerText()).resolves.toContain(period);
    expect(errors).toEqual([]);
  });
});
