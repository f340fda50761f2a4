/**
 * The vertical slice in real Chromium: the editor drafts and submits a notice
 * for 张堂村; the reviewer, a second account, approves it with the 保密审查
 * attestation; the village kiosk, open at its real size, shows it without a
 * reload; its display receipt reaches the admin's record list.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, inCI, launchChromium } from '../helpers/browser.js';
import { type TestController, demoPassword, initialPassword, startController } from '../helpers/controller.js';
import { approveWithAttestation, draftNotice, openPage, openedNoticeId, signIn } from './staff.js';

describe.runIf(inCI && !chromiumPath)('browser suite under CI', () => {
  it('needs Chromium at /usr/bin/chromium', () => {
    expect.fail('Chromium is required under CI; .ci/run installs it with apt-get');
  });
});

describe.skipIf(!chromiumPath)('vertical slice in Chromium', () => {
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

  it('publishes a notice written by the editor and approved by the reviewer to the village kiosk, and lists its display record', async () => {
    const kiosk = await openPage(browser, 'kiosk', { viewport: { width: 1920, height: 1080 } });
    await kiosk.page.goto(`${t.url}/kiosk/?device=demo-kiosk-v2&receiptAfter=1`);
    await kiosk.page.locator('[data-notice-id]').first().waitFor({ timeout: 10_000 });

    const editor = await openPage(browser, 'editor');
    await signIn(editor.page, t.url, 'editor', await demoPassword(t.dataDir, 'editor'));
    const title = `张堂村自来水管网改造公示 ${Date.now()}`;
    await draftNotice(editor.page, {
      title,
      body: '张堂村自来水管网改造工程将于下月开工，施工期间部分路段分时停水。\n\n具体安排以村委会通知为准。',
      village: '张堂村',
    });
    await editor.page.getByRole('button', { name: '提交审核' }).click();
    const noticeId = await openedNoticeId(editor.page);
    await editor.page.locator('.meta-line [data-state="pending_review"]').waitFor();
    // The editor has no review queue and no approve button.
    expect(await editor.page.getByRole('button', { name: '审核通过并发布' }).count()).toBe(0);

    const reviewer = await openPage(browser, 'reviewer');
    await signIn(reviewer.page, t.url, 'reviewer', await demoPassword(t.dataDir, 'reviewer'));
    await approveWithAttestation(reviewer.page, noticeId);
    const approvedAt = Date.now();

    const card = kiosk.page.locator(`[data-notice-id="${noticeId}"]`);
    await card.waitFor({ timeout: 5000 });
    process.stdout.write(`kiosk showed the approved notice ${Date.now() - approvedAt} ms after the approval was acknowledged\n`);
    await expect(card.innerText()).resolves.toContain('张堂村自来水管网改造公示');

    // The display record comes back to the admin app.
    const admin = await openPage(browser, 'admin');
    await signIn(admin.page, t.url, 'admin', await initialPassword(t.dataDir));
    await admin.page.getByRole('link', { name: '展示记录' }).click();
    await admin.page.locator('[data-receipt-id]', { hasText: title }).first().waitFor({ timeout: 15_000 });
    expect([...kiosk.errors, ...editor.errors, ...reviewer.errors, ...admin.errors]).toEqual([]);
  });
});
