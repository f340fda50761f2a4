/**
 * The village scope in the admin app, in Chromium against a real controller (issue 12 point 6):
 * - the report pages (a period's statistics, the annual report) and 其他渠道 offer an editor limited to several
 *   villages only theirs and ask them to choose (beside the field, nothing sent); the annual report then shows the
 *   chosen village's extract, titled and counted as that village's; an admin keeps the town's report and may
 *   choose any village's;
 * - the signed-in user's header (roles, villages) and menu follow an admin's change of their account within
 *   seconds, without a reload, in another browser context; a page they may no longer open sends them to the
 *   notices; when the admin disables the account the app signs out and says why.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../helpers/browser.js';
import { ApiClient, data, initialPassword } from '../helpers/controller.js';
import { controllerAndBrowser, openPage, signIn } from './staff.js';

const FIRST_PASSWORD = 'Shuitian-first-2026!';
const PASSWORD = 'Shuitian-8-dao-2026!';
const TITLE = /^.*(彪角村|张堂村)\d{4}年政府信息公开工作数据（村级摘录）$/;

describe.skipIf(!chromiumPath)('village scope in the admin app', () => {
  const suite = controllerAndBrowser();
  let admin: ApiClient;

  /** A staff account ready to sign in with PASSWORD (its first password already changed). */
  const account = async (username: string, roles: string[], villageIds: string[]): Promise<string> => {
    const { id } = data(
      (
        await admin.post<{ id: string }>('/api/users', {
          username,
          displayName: `${username}文书`,
          roles,
          villageIds,
          password: FIRST_PASSWORD,
        })
      ).body,
    );
    const own = new ApiClient(suite.t.url);
    await own.login(username, FIRST_PASSWORD);
    data((await own.post('/api/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: PASSWORD })).body);
    return id;
  };

  beforeAll(async () => {
    admin = new ApiClient(suite.t.url);
    await admin.login('admin', await initialPassword(suite.t.dataDir));
    // This year's requests for disclosure: one of 彪角村 (v1), two of 张堂村 (v2), one of 宋营村 (v3).
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const [subject, villageId] of [
      ['彪角村申请公开水渠维修账目', 'v1'],
      ['张堂村申请公开低保名单', 'v2'],
      ['张堂村申请公开道路补助', 'v2'],
      ['宋营村申请公开宅基地审批', 'v3'],
    ] as const) {
      data((await admin.post('/api/registers/applications', { applicantType: 'natural', receivedOn: today, subject, villageId })).body);
    }
  }, 60_000);

  /** The annual report's tab, opened by its address (#reports/annual): the page does not reload. */
  const annualPage = async (page: Page): Promise<void> => {
    await page.evaluate(() => void (location.hash = '#reports/annual'));
    await page.locator('.tabs a.active[href="#reports/annual"]').waitFor();
  };
  const options = (page: Page) => page.locator('#annual-village option').allInnerTexts();
  const title = (page: Page) => page.locator('h2', { hasText: '村级摘录' });
  /** The 新收政府信息公开申请数量 total of T3, as shown. */
  const newRequests = (page: Page) => page.locator('td[data-cell="t3.new.total"]').innerText();

  it('offers an editor of two villages only theirs on the reports and 其他渠道, asks them to choose, and shows the chosen village’s extract; an admin keeps the town’s', async () => {
    await account('liangcun', ['editor'], ['v1', 'v2']);
    const { page, errors } = await openPage(suite.browser, 'editor');
    await signIn(page, suite.t.url, 'liangcun', PASSWORD);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/reports/')) asked.push(r.url());
    });

    // 统计报告 opens on the statistics of a period: they choose the village first (one at a time, as the
    // controller answers), with nothing asked for and nothing to download until they do.
    await page.getByRole('link', { name: '统计报告' }).click();
    const rangeVillage = page.getByLabel('村', { exact: true });
    await rangeVillage.waitFor();
    expect(await page.locator('#range-village option').allInnerTexts()).toEqual(['请选择村…', '彪角村', '张堂村']);
    expect(await page.getByRole('link', { name: '导出 CSV' }).count()).toBe(0);
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await expect(page.locator('#range-village-error').innerText()).resolves.toBe('请选择一个所辖村');
    expect(asked.filter((u) => u.includes('/api/reports/stats'))).toEqual([]);
    await rangeVillage.selectOption({ label: '张堂村' });
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('.report-total').waitFor();
    expect(asked.filter((u) => u.includes('/api/reports/stats'))).toEqual([expect.stringContaining('villageId=v2')]);
    expect(await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toContain('villageId=v2');
    asked.length = 0;

    await page.getByRole('navigation', { name: '统计报告' }).getByRole('link', { name: '年度报告' }).click();
    await page.locator('.tabs a.active[href="#reports/annual"]').waitFor();

    // Only their villages, no town report, and nothing asked for until they choose.
    const village = page.getByLabel('范围');
    await village.waitFor();
    expect(await options(page)).toEqual(['请选择村…', '彪角村数据摘录', '张堂村数据摘录']);
    await expect(page.locator('#annual-village-hint').innerText()).resolves.toContain('请选择要查看哪个村');
    await page.getByRole('button', { name: '生成' }).click();
    await expect.poll(() => village.getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('#annual-village-error').innerText()).resolves.toBe('请选择一个所辖村');
    expect(await page.locator('table.annual-table').count()).toBe(0);

    // 张堂村: its title, its two requests (not the town's four).
    await village.selectOption({ label: '张堂村数据摘录' });
    expect(await village.getAttribute('aria-invalid')).toBe('false');
    expect(asked).toEqual([]);
    await page.getByRole('button', { name: '生成' }).click();
    await title(page).waitFor();
    await expect(title(page).innerText()).resolves.toMatch(/张堂村\d{4}年政府信息公开工作数据（村级摘录）/);
    await expect(newRequests(page)).resolves.toBe('2');
    expect(asked.at(-1)).toContain('villageId=v2');
    await expect(page.getByRole('note').innerText()).resolves.toContain('这是张堂村的数据摘录');

    // 彪角村: one request.
    await village.selectOption({ label: '彪角村数据摘录' });
    await page.getByRole('button', { name: '生成' }).click();
    await expect.poll(() => title(page).innerText()).toMatch(/彪角村\d{4}年/);
    await expect.poll(() => newRequests(page)).toBe('1');

    // 其他渠道: they record for one of their villages, never for the whole town, and choose which.
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '其他渠道' }).click();
    const channelVillage = page.locator('#mc-village');
    await channelVillage.waitFor();
    expect(await page.locator('#mc-village option').allInnerTexts()).toEqual(['请选择村…', '彪角村', '张堂村']);
    await page.getByLabel('信息标题').fill('张堂村务公开栏张贴低保名单');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect(page.locator('#mc-village-error').innerText()).resolves.toBe('请选择一个所辖村');
    await channelVillage.selectOption({ label: '张堂村' });
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('已登记。').waitFor();
    const entries = data((await admin.get<{ title: string; villageId: string | null }[]>('/api/disclosures/manual')).body);
    expect(entries.filter((e) => e.title === '张堂村务公开栏张贴低保名单').map((e) => e.villageId)).toEqual(['v2']);
    expect(errors).toEqual([]);

    // An admin keeps the town's report (all four requests) and may choose any village's extract.
    const town = await openPage(suite.browser, 'admin');
    await signIn(town.page, suite.t.url, 'admin', await initialPassword(suite.t.dataDir));
    await annualPage(town.page);
    await town.page.locator('table.annual-table').first().waitFor();
    expect(await title(town.page).count()).toBe(0);
    await expect(newRequests(town.page)).resolves.toBe('4');
    expect((await options(town.page))[0]).toBe('全镇年度报告');
    expect(await options(town.page)).toContain('宋营村数据摘录');
    await town.page.getByLabel('范围').selectOption({ label: '张堂村数据摘录' });
    await town.page.getByRole('button', { name: '生成' }).click();
    await expect.poll(() => title(town.page).innerText()).toMatch(TITLE);
    await expect(newRequests(town.page)).resolves.toBe('2');
    expect(town.errors).toEqual([]);
  }, 90_000);

  it('follows an admin’s change of the account in the header and menu at once, and signs out when disabled', async () => {
    await account('shuangzhi', ['editor', 'reviewer'], ['v1', 'v2']);
    const editor = await openPage(suite.browser, 'editor');
    const page = editor.page;
    await signIn(page, suite.t.url, 'shuangzhi', PASSWORD);
    const access = page.locator('.app-header .user-access');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    // A reviewer is town-wide whatever villages are set.
    await expect.poll(() => access.innerText()).toBe('角色：拟稿人、审核人；范围：全镇');
    await menu.getByRole('link', { name: /^审核/ }).click();
    await page.getByRole('heading', { name: '审核', exact: true }).waitFor();
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { samePageLoad: true }));

    const adminPage = await openPage(suite.browser, 'admin');
    await signIn(adminPage.page, suite.t.url, 'admin', await initialPassword(suite.t.dataDir));
    const edit = async (change: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> => {
      await adminPage.page.goto(`${suite.t.url}/admin/#users`);
      await adminPage.page.locator('tr[data-username="shuangzhi"]').getByRole('button', { name: '编辑' }).click();
      const dialog = adminPage.page.getByRole('dialog', { name: '编辑用户 shuangzhi' });
      await change(dialog);
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'detached' });
    };

    // The admin takes the reviewer role away: the header names the villages, the menu loses 审核, and the
    // review page they were on gives way to the notices.
    await edit((dialog) => dialog.getByLabel('审核人').uncheck());
    await expect.poll(() => access.innerText(), { timeout: 5_000 }).toBe('角色：拟稿人；范围：彪角村、张堂村');
    await expect.poll(() => menu.getByRole('link', { name: /^审核/ }).count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5_000 }).toBe('#notices');

    // On the annual report they are offered their two villages; the admin leaves them 张堂村 only: the header
    // says so and the page shows 张堂村's extract without being asked.
    await annualPage(page);
    expect(await options(page)).toEqual(['请选择村…', '彪角村数据摘录', '张堂村数据摘录']);
    await edit((dialog) => dialog.getByLabel('彪角村').uncheck());
    await expect.poll(() => access.innerText(), { timeout: 5_000 }).toBe('角色：拟稿人；范围：张堂村');
    await expect.poll(() => options(page), { timeout: 5_000 }).toEqual(['请选择村…', '张堂村数据摘录']);
    await expect.poll(() => title(page).innerText(), { timeout: 5_000 }).toMatch(/张堂村\d{4}年/);
    await expect(newRequests(page)).resolves.toBe('2');
    expect(await page.evaluate(() => (window as unknown as { samePageLoad?: boolean }).samePageLoad)).toBe(true);

    // Disabled: the app signs out by itself and says why.
    await edit((dialog) => dialog.getByLabel(/停用此账号/).check());
    await page.getByRole('heading', { name: '登录公示管理' }).waitFor({ timeout: 5_000 });
    await expect(page.getByRole('alert').innerText()).resolves.toContain('您的账号已被管理员停用');
    expect(await page.evaluate(() => (window as unknown as { samePageLoad?: boolean }).samePageLoad)).toBe(true);
    expect(await page.getByRole('navigation', { name: '主菜单' }).count()).toBe(0);
    expect([...editor.errors, ...adminPage.errors]).toEqual([]);
  }, 120_000);
});
