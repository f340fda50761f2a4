/** Staff steps in the admin app, shared by the browser suites: each account in its own browser context (its own cookie). */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { type TestController, startController } from '../helpers/controller.js';

export interface WatchedPage {
  page: Page;
  /** Page errors and console errors, except those `expected` allows. */
  errors: string[];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Console errors that are part of the scenario (e.g. a refused request Chromium logs). */
  expected?: readonly RegExp[];
  /** Lets a test inject scripts (axe-core) despite the controller's Content-Security-Policy. */
  bypassCSP?: boolean;
  /** The browser's time zone (default the town's): a kiosk PC is often set to another. */
  timezoneId?: string;
}

/** A new page in a fresh context, recording page errors and console errors. */
export async function openPage(browser: Browser, name: string, options: PageOptions = {}): Promise<WatchedPage> {
  const { viewport = { width: 1366, height: 900 }, expected = [], bypassCSP = false, timezoneId = 'Asia/Shanghai' } = options;
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId, bypassCSP });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) errors.push(`${name} console: ${m.text()}`);
  });
  return { page, errors };
}

/** Signs in on the admin app's form and waits for the menu. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
}

/** Opens the editor for a new notice and fills title, text and one village. */
export async function draftNotice(page: Page, notice: { title: string; body: string; village: string }): Promise<void> {
  await page.getByRole('button', { name: '新建公告' }).click();
  await page.getByRole('heading', { name: '新建公告' }).waitFor();
  await page.getByLabel('标题').fill(notice.title);
  await page.getByLabel('正文').fill(notice.body);
  await page.getByLabel(notice.village).check();
}

/** From a notice's page after submitting: its id. */
export async function openedNoticeId(page: Page): Promise<string> {
  const section = page.locator('section[data-notice-id]');
  await section.waitFor();
  const id = await section.getAttribute('data-notice-id');
  if (!id) throw new Error('no notice id on the notice page');
  return id;
}

/** The reviewer opens the notice in the review queue and approves it with the four 保密审查 boxes. */
export async function approveWithAttestation(page: Page, noticeId: string, opinion = '同意发布'): Promise<void> {
  await page.getByRole('link', { name: /审核/ }).click();
  await page.locator(`.queue-item[data-notice-id="${noticeId}"] a`).click();
  await page.getByRole('button', { name: '审核通过并发布' }).click();
  const dialog = page.getByRole('dialog', { name: '审核通过并发布' });
  for (const item of ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对']) await dialog.getByLabel(item).check();
  await dialog.getByLabel('审核意见').fill(opinion);
  await dialog.getByRole('button', { name: '确认发布' }).click();
  await page.getByText('已审核通过并发布。').waitFor();
}

/** A real controller and Chromium for one suite: started before its tests, stopped after them. Read the fields inside tests. */
export function controllerAndBrowser(options: Parameters<typeof startController>[0] = {}): { t: TestController; browser: Browser } {
  const suite = {} as { t: TestController; browser: Browser };
  beforeAll(async () => {
    suite.t = await startController(options);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.t?.dispose();
  });
  return suite;
}
