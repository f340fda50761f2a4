/**
 * The review path with the keyboard alone: sign in, reach the queue, open a
 * notice, approve it through the 保密审查 dialog (Space ticks, Enter sends),
 * and Escape closes a dialog with focus back on the button that opened it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, demoPassword, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

/** Text of the focused element. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
const focusedLabel = (page: Page): Promise<string> =>
  page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.innerText.trim() ?? '');

/** Presses Tab until `matches` says the focused element is the one wanted. */
async function tabTo(page: Page, matches: (page: Page) => Promise<boolean>, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await matches(page)) return;
  }
  throw new Error(`not reached with ${max} presses of Tab; focus is on "${await focused(page)}"`);
}

describe.skipIf(!chromiumPath)('admin with the keyboard only', () => {
  let t: TestController;
  let browser: Browser;
  let noticeId = '';

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    const { editor } = await staff(t);
    const created = await editor.post<{ id: string }>('/api/notices', {
      title: '苏湾村饮水安全巩固提升工程公示',
      body: '工程总投资18万元，惠及全村312户。',
      target: { scope: 'villages', villageIds: ['v4'] },
    });
    noticeId = data(created.body).id;
    data((await editor.post(`/api/notices/${noticeId}/submit`)).body);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('signs in, reviews and approves without a mouse', async () => {
    const { page, errors } = await openPage(browser, 'keyboard');
    await page.goto(`${t.url}/admin/`);
    await tabTo(page, async (p) => (await focusedLabel(p)) === '用户名');
    await page.keyboard.type('reviewer');
    await page.keyboard.press('Tab');
    await page.keyboard.type(await demoPassword(t.dataDir, 'reviewer'));
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();

    await tabTo(page, async (p) => (await focused(p)).startsWith('审核'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '审核', exact: true }).waitFor();
    await tabTo(page, async (p) => (await focused(p)) === '苏湾村饮水安全巩固提升工程公示');
    await page.keyboard.press('Enter');
    await page.locator(`article[data-notice-id="${noticeId}"]`).waitFor();

    // Escape closes a dialog and gives focus back to its button.
    await tabTo(page, async (p) => (await focused(p)) === '驳回');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: '驳回' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('驳回');

    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('审核通过并发布');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '审核通过并发布' });
    await dialog.waitFor();
    for (const item of ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对']) {
      await tabTo(page, async (p) => (await focusedLabel(p)) === item, 5);
      await page.keyboard.press('Space');
    }
    await tabTo(page, async (p) => (await focused(p)) === '确认发布', 5);
    await page.keyboard.press('Enter');
    await page.getByText('已审核通过并发布。').waitFor();
    expect(errors).toEqual([]);
  });
});
