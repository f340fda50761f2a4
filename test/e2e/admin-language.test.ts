/**
 * No language leaks: the admin's screens and main dialogs, walked in Chinese
 * and in English in Chromium against a real controller, show no English words
 * in Chinese mode and no Chinese characters in English mode, except the town's
 * own data (notice titles and text, village, people's and device names, …).
 * The allow-list is built from the controller's data over its API, never from
 * the screen; text marked with another `lang` (the language switch, the
 * statutory Chinese annual report, `zxx` for a code value) and code (`<code>`,
 * `<pre>`: command lines, keys) are left out.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARIES, type Locale } from '../../admin/i18n/index.js';
import type { NoticePage } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

const HAN = /\p{Script=Han}+/gu;
/** A word: letters, then letters or digits. */
const WORD = /[A-Za-z][A-Za-z0-9]*/g;
/** Names of formats and algorithms, written the same in both languages. */
const TECHNICAL_NAMES = ['JSON Lines', 'WebP', 'Ed25519'];

/** Every string in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** What the town's data allows on a screen in either language. */
interface AllowList {
  /** Strings with Chinese in them (names, titles, text): a Chinese run on an English screen must lie in one. */
  han: string[];
  /** Words from free-text data (titles, names, ids, addresses, ports); enum-like values (`online`) are not data. */
  words: Set<string>;
}

async function allowList(t: TestController): Promise<AllowList> {
  const { admin } = await staff(t);
  const paths = [
    '/api/town',
    '/api/staff',
    '/api/users',
    '/api/devices',
    '/api/signs',
    '/api/records?limit=500',
    '/api/disclosures/manual',
    '/api/registers/applications',
    '/api/registers/cases',
  ];
  const all: string[] = [];
  for (const path of paths) {
    const res = await admin.get<unknown>(path);
    if (res.status === 200) strings(res.body, all);
  }
  for (let page = 1; page < 50; page += 1) {
    const list = data((await admin.get<NoticePage>(`/api/notices?page=${page}`)).body);
    strings(list.items, all);
    if (page * list.pageSize >= list.total) break;
  }
  const words = new Set<string>();
  for (const s of all) {
    if (/^[a-z][a-z0-9_]*$/.test(s) && !['admin', 'editor', 'reviewer'].includes(s)) continue; // an enum value
    for (const w of s.match(WORD) ?? []) words.add(w.toLowerCase());
  }
  const users = data((await admin.get<{ username: string }[]>('/api/users')).body);
  for (const u of users) words.add(u.username.toLowerCase());
  return { han: all.filter((s) => /\p{Script=Han}/u.test(s)), words };
}

interface Shown {
  text: string;
  where: string;
}

/** The text a reader meets: visible text nodes and the labels, placeholders and titles of visible elements. */
async function shownText(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const root = document.documentElement.lang;
    const out: { text: string; where: string }[] = [];
    const otherLanguage = (el: Element): boolean => {
      const lang = el.closest('[lang]')?.getAttribute('lang');
      return lang !== undefined && lang !== null && lang !== root;
    };
    const describe = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!el || text === '' || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || otherLanguage(el)) continue;
      if (el.closest('code, pre, kbd, samp')) continue; // a command, a key or a field name: not a language
      const visible = el.tagName === 'OPTION' ? (el.closest('select')?.checkVisibility() ?? false) : el.checkVisibility();
      if (visible) out.push({ text, where: describe(el) });
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (!el.checkVisibility() || otherLanguage(el)) continue;
      for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
        const value = el.getAttribute(attr);
        if (value) out.push({ text: value, where: `${describe(el)}[${attr}]` });
      }
    }
    return out;
  });
}

/** What on the screen is in the other language and is not the town's data. */
function leaks(shown: readonly Shown[], locale: Locale, allow: AllowList): string[] {
  const found: string[] = [];
  for (const { text, where } of shown) {
    if (locale === 'en') {
      for (const run of text.match(HAN) ?? []) if (!allow.han.some((s) => s.includes(run))) found.push(`${where}: “${run}” in “${text}”`);
    } else {
      const plain = TECHNICAL_NAMES.reduce((s, name) => s.split(name).join(' '), text);
      for (const word of plain.match(WORD) ?? []) {
        if (/^[A-Z0-9]+$/.test(word) && /[A-Z]/.test(word)) continue; // an acronym: LED, ID, GB2312, CSV
        if (/^[0-9a-f]{8,}$/i.test(word) && /\d/.test(word)) continue; // a hash or fingerprint
        if (word === 'px') continue; // a unit
        if (allow.words.has(word.toLowerCase())) continue;
        found.push(`${where}: “${word}” in “${text}”`);
      }
    }
  }
  return [...new Set(found)];
}

describe.skipIf(!chromiumPath)('no language leaks in the admin (Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  let allow: AllowList;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
    allow = await allowList(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('finds an English word on a Chinese screen and a Chinese one on an English screen (the check can fail)', () => {
    const shown = [{ text: '设备 online', where: 'p' }];
    expect(leaks(shown, 'zh', allow)).toEqual(['p: “online” in “设备 online”']);
    expect(leaks([{ text: 'Device 在线', where: 'p' }], 'en', allow)).toEqual(['p: “在线” in “Device 在线”']);
    expect(leaks([{ text: 'LED 屏 彪角镇', where: 'p' }], 'zh', allow)).toEqual([]);
  });

  for (const locale of ['zh', 'en'] as const) {
    it(`shows every screen and main dialog in ${locale === 'zh' ? 'Chinese' : 'English'} only`, async () => {
      const tr = DICTIONARIES[locale];
      const { page, errors } = await openPage(browser, `language-${locale}`, { expected: [/status of (401|422|400)/] });
      await page.context().addInitScript((l) => localStorage.setItem('gongshi:admin:locale', l), locale);
      const found: string[] = [];
      const checked: string[] = [];
      const check = async (screen: string): Promise<void> => {
        await page.waitForTimeout(300);
        await page
          .locator('.loading')
          .first()
          .waitFor({ state: 'detached', timeout: 10_000 })
          .catch(() => undefined);
        checked.push(screen);
        for (const leak of leaks(await shownText(page), locale, allow)) found.push(`[${screen}] ${leak}`);
      };
      const visit = async (hash: string): Promise<void> => {
        await page.evaluate((h) => void (window.location.hash = h), hash);
        await page.locator('main h1').first().waitFor();
      };

      await page.goto(`${t.url}/admin/`);
      await page.locator('button[type="submit"]').click();
      await page.locator('.field-error').first().waitFor();
      await check('sign-in (with errors)');
      await page.locator('#login-username').fill('admin');
      await page.locator('#login-password').fill(await initialPassword(t.dataDir));
      await page.locator('button[type="submit"]').click();
      await page.locator('nav.main-nav, nav').first().waitFor();
      await page.locator('tr[data-notice-id]').first().waitFor();
      await check('notice list');

      const first = await page.locator('tr[data-notice-id]').first().getAttribute('data-notice-id');
      await visit(`#notices/${first ?? ''}`);
      await check('notice page');

      await visit('#notices/new');
      await page.getByRole('button', { name: tr.editor.save, exact: true }).click();
      await page.locator('.field-error').first().waitFor();
      await check('editor (with errors)');

      await visit('#review');
      await check('review queue');
      const queued = page.locator('.queue-item a').first();
      if (await queued.count()) {
        await queued.click();
        await page.getByRole('button', { name: tr.review.approve }).click();
        await page.getByRole('dialog').locator('button[type="submit"]').click();
        await page.getByRole('dialog').locator('.field-error').first().waitFor();
        await check('approve dialog (with errors)');
        await page.keyboard.press('Escape');
      }

      for (const hash of ['#users', '#devices', '#signs', '#records', '#channels', '#ledger']) {
        await visit(hash);
        await check(hash.slice(1));
      }
      await visit('#devices');
      await page.getByRole('button', { name: tr.devices.pair.open }).click();
      await page.getByRole('dialog').locator('button[type="submit"]').click();
      await page.getByRole('dialog').locator('.field-error').first().waitFor();
      await check('pair dialog (with errors)');
      await page.keyboard.press('Escape');

      await visit('#channels');
      await page.locator('form.card button[type="submit"]').click();
      await page.locator('.form-error, .field-error').first().waitFor();
      await check('other channels (with errors)');

      for (const tab of ['stats', 'compliance', 'timeliness', 'checks', 'satisfaction', 'registers', 'annual']) {
        await visit(`#reports/${tab}`);
        await check(`reports: ${tab}`);
      }

      process.stdout.write(`language ${locale}: checked ${checked.length} screens\n`);
      expect(found).toEqual([]);
      expect(errors).toEqual([]);
    }, 180_000);
  }
});
