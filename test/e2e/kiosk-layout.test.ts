/**
 * The kiosk's layout in Chromium at its two real sizes (1080×1920 portrait,
 * 1920×1080 landscape) and all three text sizes, measured from element boxes:
 * every button's words on one line (搜索 never broken), the reading tools in
 * one row (评价 never alone on a second), the text taking at least half the
 * screen at 特大, and a long notice saying 第 x / y 页 by its page buttons.
 * With KIOSK_SCREENSHOTS=<dir> it saves a PNG of each screen it measures.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../controller/protocol/index.js';
import { chromiumPath } from '../helpers/browser.js';
import { ATTESTATION, data, staff } from '../helpers/controller.js';
import { controllerAndBrowser, openPage } from './staff.js';

const SHOTS = process.env.KIOSK_SCREENSHOTS ?? '';
const SIZES = [
  { name: 'portrait', viewport: { width: 1080, height: 1920 } },
  { name: 'landscape', viewport: { width: 1920, height: 1080 } },
] as const;
const TEXT_SIZES = ['标准', '大', '特大'] as const;
const KIOSK = '/kiosk/?device=demo-kiosk-v2';
const LONG_TITLE = '张堂村2026年度农村人居环境整治项目实施情况公示';
const LONG_BODY = Array.from(
  { length: 14 },
  (_, i) =>
    `第${i + 1}项：村内主干道硬化、排水沟清淤和垃圾集中收运点建设已按计划完成，工程款按合同分两次支付，第一次支付百分之六十，验收合格后支付其余部分。村民如有意见，请在公示期内向村务监督委员会反映。`,
).join('\n\n');

/** Gives headless Chromium (which has no voices) one zh-CN voice, so the read-aloud button takes its place in the tools. */
const FAKE_VOICE = `(() => {
  const voice = { lang: 'zh-CN', name: '普通话', localService: true, default: true, voiceURI: 'fake-zh' };
  if (!window.speechSynthesis) return;
  window.speechSynthesis.getVoices = () => [voice];
  window.speechSynthesis.speak = () => {};
})();`;

interface Broken {
  text: string;
  lines: number;
}

/** Buttons (and the tools' label) whose words run over more than one line: each character's line from its own box. */
async function brokenWords(page: Page, selector: string): Promise<Broken[]> {
  return page.evaluate((sel) => {
    const found: { text: string; lines: number }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      if (el.offsetParent === null) continue;
      const tops = new Set<number>();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          if (/\s/.test(text[i] ?? '')) continue;
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width > 0) tops.add(Math.round(rect.top / 4));
        }
      }
      if (tops.size > 1) found.push({ text: (el.textContent ?? '').trim(), lines: tops.size });
    }
    return found;
  }, selector);
}

/** The boxes of the elements matching `selector` (visible ones). */
async function boxes(page: Page, selector: string): Promise<{ text: string; top: number; bottom: number; left: number; right: number }[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((el) => el.offsetParent !== null)
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { text: (el.textContent ?? '').trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right };
        }),
    selector,
  );
}

describe.skipIf(!chromiumPath)('kiosk layout at 1080×1920 and 1920×1080 in Chromium', () => {
  const suite = controllerAndBrowser();

  it('keeps words whole, the tools in one row, the text at least half the screen at 特大, and says 第 x / y 页', async () => {
    const { editor, reviewer } = await staff(suite.t);
    const created = data(
      (
        await editor.post<Notice>('/api/notices', {
          title: LONG_TITLE,
          body: LONG_BODY,
          target: { scope: 'villages', villageIds: ['v2'] },
        })
      ).body,
    );
    data((await editor.post(`/api/notices/${created.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${created.id}/approve`, { attestation: ATTESTATION })).body);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    const measured: string[] = [];
    const problems: string[] = [];

    for (const size of SIZES) {
      const { page, errors } = await openPage(suite.browser, `kiosk-${size.name}`, { viewport: size.viewport });
      const shot = async (name: string): Promise<void> => {
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `layout-${size.name}-${name}.png`) });
      };
      const wordsWhole = async (where: string, selector: string): Promise<void> => {
        for (const b of await brokenWords(page, selector)) problems.push(`${size.name} ${where}: “${b.text}” runs over ${b.lines} lines`);
        for (const b of await boxes(page, selector))
          if (b.left < 0 || b.right > size.viewport.width) problems.push(`${size.name} ${where}: “${b.text}” leaves the screen`);
      };
      await page.addInitScript(FAKE_VOICE);
      await page.goto(`${suite.t.url}${KIOSK}`);
      await page.locator('.notice-card[data-notice-id]').first().waitFor({ timeout: 30_000 });
      await wordsWhole('rotation', '.kiosk-footer button, .kiosk-count');
      await shot('attract');

      await page.getByRole('button', { name: /查看全部公告/ }).click();
      await page.getByRole('button', { name: /全部公告/ }).click();
      await page.locator(`.list-item[data-notice-id="${created.id}"]`).click();
      await page.locator('.detail').waitFor();
      await expect(page.getByRole('button', { name: '朗读' }).isVisible()).resolves.toBe(true);
      for (const [i, label] of TEXT_SIZES.entries()) {
        await page.getByRole('button', { name: `字号${label}` }).click();
        await page.waitForTimeout(100);
        await wordsWhole(`detail ${label}`, '.browse-bar button, .detail-tools button, .tool-label, .pager button, .pager-position');
        const tools = await boxes(page, '.detail-tools .tool');
        const rows = new Set(tools.map((t) => Math.round(t.top)));
        if (rows.size !== 1)
          problems.push(`${size.name} ${label}: the reading tools take ${rows.size} rows (${tools.map((t) => t.text).join(' ')})`);
        const bar = await boxes(page, '.browse-bar .action');
        if (new Set(bar.map((b) => Math.round(b.top))).size !== 1) problems.push(`${size.name} ${label}: the browse bar wraps`);
        const [body] = await boxes(page, '.detail-body');
        const share = body ? (body.bottom - body.top) / size.viewport.height : 0;
        measured.push(`${size.name} ${label}: body ${(share * 100).toFixed(0)}% of the screen height`);
        if (i === 2 && share < 0.5)
          problems.push(`${size.name} 特大: the text takes ${(share * 100).toFixed(0)}% of the screen, under half`);
        // Long enough to page at every size: the pager says where the reader is.
        const position = page.locator('.pager-position');
        await expect(position.innerText()).resolves.toMatch(/^第 1 \/ \d+ 页$/);
        const total = Number(/\/ (\d+)/.exec(await position.innerText())?.[1]);
        expect(total).toBeGreaterThan(1);
        await shot(`detail-${i + 1}`);
        await page.getByRole('button', { name: /下一页/ }).click();
        await expect.poll(() => position.innerText()).toBe(`第 2 / ${total} 页`);
        if (i === 2) await shot('detail-3-page-2');
        for (let p = 2; p < total; p++) await page.getByRole('button', { name: /下一页/ }).click();
        await expect.poll(() => position.innerText()).toBe(`第 ${total} / ${total} 页`);
        await expect(page.getByRole('button', { name: /下一页/ }).isDisabled()).resolves.toBe(true);
        await page.getByRole('button', { name: /上一页/ }).click();
        await expect.poll(() => position.innerText()).toBe(`第 ${total - 1} / ${total} 页`);
        await page.locator('.detail-body').evaluate((el) => el.scrollTo(0, 0));
      }
      await page.getByRole('button', { name: '搜索', exact: true }).click();
      await wordsWhole('search', '.browse-bar button, .key');
      await shot('search');
      expect(errors).toEqual([]);
      await page.context().close();
    }
    process.stdout.write(`${measured.join('\n')}\n`);
    expect(problems).toEqual([]);
  }, 180_000);
});
