/**
 * The review workflow end to end. The privacy gate (issue 3): the editor drafts a notice for 张堂村
 * containing an 18-digit ID number, tries to submit, is blocked and sees the
 * hit, masks it on the server, submits; the reviewer (a second account)
 * approves with the four 保密审查 boxes; the 张堂村 kiosk at 1920×1080 shows
 * the masked number and never receives the full one. A 公示 whose period is
 * already over (issue 15): the editor is warned while drafting, the reviewer
 * sees the days lost, keeping the dates needs a reason, and 顺延 publishes it
 * from today with the end worked out by the same rule.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notice, addCalendarDays, civilDateOf, idCheckCharacter } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, demoPassword, staff, startController } from '../helpers/controller.js';
import { approveWithAttestation, draftNotice, openPage, openedNoticeId, signIn } from './staff.js';

/** GB 11643-1999 check character: weights 2^(17−i) mod 11, remainder mapped through 10X98765432. */
/** Synthetic: the province-level area code 410000 is never issued to a person; born 1962-03-08, sequence 047. */
const ID = '41000019620308047' + idCheckCharacter('41000019620308047');
const SHOTS = process.env.GONGSHI_SHOTS;
const MASKED = `${ID.slice(0, 6)}${'*'.repeat(8)}${ID.slice(-4)}`;

describe.skipIf(!chromiumPath)('privacy gate and second-account review in Chromium', () => {
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

  it('blocks, masks, submits, approves with the attestation, and the kiosk shows only the masked number', async () => {
    expect(ID).toMatch(/^\d{17}[\dX]$/);
    const kiosk = await openPage(browser, 'kiosk', { viewport: { width: 1920, height: 1080 } });
    const received: string[] = [];
    kiosk.page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
    await kiosk.page.goto(`${t.url}/kiosk/?device=demo-kiosk-v2&receiptAfter=1`);
    await kiosk.page.locator('[data-notice-id]').first().waitFor({ timeout: 10_000 });

    // The refused submission is a 422, which Chromium logs as a failed resource.
    const editor = await openPage(browser, 'editor', { expected: [/status of 422/] });
    await signIn(editor.page, t.url, 'editor', await demoPassword(t.dataDir, 'editor'));
    const title = `张堂村2026年度临时救助对象公示 ${Date.now()}`;
    await draftNotice(editor.page, {
      title,
      body: `经村民代表会议评议，拟对以下家庭给予临时救助：\n\n李秀英，身份证号${ID}，因病致困，救助金额2000元。\n\n公示期内如有异议，请向镇民政所反映。`,
      village: '张堂村',
    });
    // The live scan already names the hit while typing.
    const panel = editor.page.getByRole('region', { name: '个人信息检查' });
    await panel.locator('[data-hit-kind="id_card"]').waitFor();

    await editor.page.getByRole('button', { name: '提交审核' }).click();
    const blocked = editor.page.getByRole('region', { name: '不能提交：内容含未脱敏的个人信息' });
    await blocked.waitFor();
    const hit = blocked.locator('[data-hit-kind="id_card"]');
    await expect(hit.innerText()).resolves.toContain(ID);
    await expect(hit.innerText()).resolves.toContain('身份证号');

    await blocked.getByRole('button', { name: '一键脱敏' }).click();
    await editor.page.getByText('已脱敏。').waitFor();
    await expect(editor.page.getByLabel('正文').inputValue()).resolves.toContain(`身份证号${MASKED}，`);
    await editor.page.getByRole('button', { name: '提交审核' }).click();
    const noticeId = await openedNoticeId(editor.page);
    await editor.page.locator('.meta-line [data-state="pending_review"]').waitFor();

    const reviewer = await openPage(browser, 'reviewer');
    await signIn(reviewer.page, t.url, 'reviewer', await demoPassword(t.dataDir, 'reviewer'));
    await approveWithAttestation(reviewer.page, noticeId, '已核对原件，个人信息已脱敏');

    const card = kiosk.page.locator(`[data-notice-id="${noticeId}"]`);
    await card.waitFor({ timeout: 5000 });
    const shown = await card.innerText();
    expect(shown).toContain(MASKED);
    expect(shown).not.toContain(ID);
    expect(await kiosk.page.content()).not.toContain(ID);
    expect(received.some((frame) => frame.includes(MASKED))).toBe(true);
    expect(received.filter((frame) => frame.includes(ID))).toEqual([]);
    expect([...kiosk.errors, ...editor.errors, ...reviewer.errors]).toEqual([]);
  });

  it('warns the editor, shows the reviewer the days lost, asks a reason to keep the dates, and 顺延 publishes from today', async () => {
    const today = civilDateOf(Date.now());
    const start = addCalendarDays(today, -30);
    const editor = await openPage(browser, 'editor', { viewport: { width: 1366, height: 768 } });
    await signIn(editor.page, t.url, 'editor', await demoPassword(t.dataDir, 'editor'));
    await draftNotice(editor.page, { title: '张堂村冬季道路维修公示', body: '本村冬季道路维修项目已完工，现予公示。', village: '张堂村' });
    await editor.page.getByLabel('开始日期').fill(start);
    const warning = editor.page.locator('.late-start.whole-past');
    await warning.waitFor();
    expect(await warning.innerText()).toContain(`公示期 ${start} 至 ${addCalendarDays(start, 6)} 已全部过去`);
    if (SHOTS) {
      await warning.scrollIntoViewIfNeeded();
      await editor.page.screenshot({ path: `${SHOTS}/late-start-editor.png` });
    }
    // A start two days ago loses two days of seven.
    await editor.page.getByLabel('开始日期').fill(addCalendarDays(today, -2));
    await editor.page.locator('.late-start[data-lost-days="2"]:not(.whole-past)').waitFor();
    await editor.page.getByLabel('开始日期').fill(start);
    await editor.page.getByRole('button', { name: '提交审核' }).click();
    const noticeId = await openedNoticeId(editor.page);

    const reviewer = await openPage(browser, 'reviewer', { viewport: { width: 1366, height: 768 }, expected: [/status of 400/] });
    await signIn(reviewer.page, t.url, 'reviewer', await demoPassword(t.dataDir, 'reviewer'));
    await reviewer.page.getByRole('link', { name: /审核/ }).click();
    await reviewer.page.locator(`.queue-item[data-notice-id="${noticeId}"] a`).click();
    await expect(reviewer.page.locator('.review-detail .late-start').innerText()).resolves.toContain('已全部过去');
    await reviewer.page.getByRole('button', { name: '审核通过并发布' }).click();
    const dialog = reviewer.page.getByRole('dialog', { name: '审核通过并发布' });
    for (const item of ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对']) await dialog.getByLabel(item).check();
    await dialog.getByLabel('按原日期签发').check();
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await dialog.locator('#approve-late-reason-error').waitFor();
    expect(await dialog.locator('#approve-late-reason-error').innerText()).toContain('理由');
    const shift = dialog.getByLabel(/^顺延：从今天/);
    expect(await shift.evaluate((el) => el.parentElement?.textContent)).toContain(`至 ${addCalendarDays(today, 6)}`);
    if (SHOTS) await reviewer.page.screenshot({ path: `${SHOTS}/late-start-approve.png` });
    await shift.check();
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await reviewer.page.getByText('已审核通过并发布。').waitFor();

    const { admin } = await staff(t);
    const published = data((await admin.get<Notice>(`/api/notices/${noticeId}`)).body);
    expect(published.live?.content.posting.start).toBe(today);
    expect(published.live?.review?.lateStart).toMatchObject({ plannedStart: start, wholePast: true, shiftedTo: today });
    expect([...editor.errors, ...reviewer.errors]).toEqual([]);
  });
});
