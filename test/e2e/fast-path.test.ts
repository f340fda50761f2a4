/**
 * The emergency fast path's second reviewer in Chromium (issue 12 point 4):
 * a warning one reviewer published alone is shown to every reviewer, on
 * every page of the admin app, until another reviewer confirms it; the one
 * who approved it is told it is not theirs to confirm; an empty opinion is
 * refused beside the field; once confirmed it is gone for everyone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import {
  ATTESTATION,
  type ApiClient,
  type TestController,
  data,
  demoPassword,
  initialPassword,
  staff,
  startController,
} from '../helpers/controller.js';
import { openPage, signIn } from './staff.js';

describe.skipIf(!chromiumPath)('the fast path waits for a second reviewer in the admin app', () => {
  let t: TestController;
  let browser: Browser;
  let reviewer: ApiClient;

  beforeAll(async () => {
    t = await startController();
    ({ reviewer } = await staff(t));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('shows the warning on every page to every reviewer until another one confirms it', async () => {
    const title = `暴雨红色预警 ${Date.now()}`;
    const created = data(
      (
        await reviewer.post<Notice>('/api/notices', {
          title,
          body: '请立即转移至村委会避险点。',
          category: 'a20-emergency',
          target: { scope: 'villages', villageIds: ['v1'] },
          emergency: { level: 'red', expiresAt: Date.now() + 6 * 3_600_000 },
        })
      ).body,
    );
    data((await reviewer.post(`/api/notices/${created.id}/submit`)).body);
    const approved = data(
      (await reviewer.post<Notice>(`/api/notices/${created.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body,
    );
    const versionId = approved.live!.id;

    // The reviewer who approved it alone sees it waiting, and that it is not theirs to confirm.
    const own = await openPage(browser, 'reviewer');
    await signIn(own.page, t.url, 'reviewer', await demoPassword(t.dataDir, 'reviewer'));
    const ownBanner = own.page.getByRole('alert').filter({ hasText: '等待第二位审核人确认' });
    await ownBanner.waitFor();
    const ownItem = ownBanner.locator(`li[data-version-id="${versionId}"]`);
    await expect(ownItem.innerText()).resolves.toContain('须由另一位审核人确认');
    expect(await ownItem.getByRole('button', { name: '确认' }).count()).toBe(0);

    // The admin (a second reviewer) sees it on every page, and the refused empty opinion beside the field.
    const admin = await openPage(browser, 'admin', { expected: [/status of 400/] });
    await signIn(admin.page, t.url, 'admin', await initialPassword(t.dataDir));
    const banner = admin.page.getByRole('alert').filter({ hasText: '等待第二位审核人确认' });
    for (const hash of ['#/notices', '#/devices', '#/reports']) {
      await admin.page.goto(`${t.url}/admin/${hash}`);
      await banner.locator(`li[data-version-id="${versionId}"]`).waitFor();
      await expect(banner.innerText()).resolves.toContain(title);
    }
    const item = banner.locator(`li[data-version-id="${versionId}"]`);
    await item.getByRole('button', { name: '确认' }).click();
    await item.getByRole('button', { name: '提交确认' }).click();
    const opinion = item.getByLabel('确认意见');
    await expect.poll(() => opinion.getAttribute('aria-invalid')).toBe('true');
    await expect(item.innerText()).resolves.toContain('请填写确认意见');

    await opinion.fill('已核实雨情，同意发布');
    await item.getByRole('button', { name: '提交确认' }).click();
    await banner.waitFor({ state: 'detached' });

    const confirmed = data((await reviewer.get<Notice>(`/api/notices/${created.id}`)).body);
    expect(confirmed.live?.review?.confirmation).toMatchObject({ opinion: '已核实雨情，同意发布' });
    // The first reviewer's page hears of it without a reload.
    await ownBanner.waitFor({ state: 'detached', timeout: 10_000 });
    expect([...own.errors, ...admin.errors]).toEqual([]);
  });
});
