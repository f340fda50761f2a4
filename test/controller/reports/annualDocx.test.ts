/**
 * The annual report's DOCX as LibreOffice prints it: the exported file goes
 * through `libreoffice --headless --convert-to pdf` and `pdftotext`, and the
 * pages must read as the template prints them — 三's table on at most two pages
 * with its row labels whole, 四's headers not broken one character per line,
 * 法人或其他组织 over 商业企业 … 其他, 行政诉讼 over its two kinds, 二 one table.
 * Outside CI the test skips (loudly) when LibreOffice or poppler is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnualReport } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

const run = promisify(execFile);
const tools = ['/usr/bin/libreoffice', '/usr/bin/pdftotext', '/usr/bin/pdfinfo'];
const missing = tools.filter((t) => !existsSync(t));
if (missing.length > 0 && process.env.CI)
  throw new Error(`CI must install ${missing.join(', ')} (.ci/run: libreoffice-writer-nogui, poppler-utils)`);
if (missing.length > 0)
  console.warn(
    `SKIPPED annual DOCX rendering: ${missing.join(', ')} not installed (apt-get install libreoffice-writer-nogui poppler-utils)`,
  );

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let dir: string;

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-docx-'));
}, 60_000);
afterAll(async () => {
  await t.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

/** Renders the year's DOCX to PDF and returns each page's text (layout mode keeps a table row on one line). */
async function renderPages(year: number, version: string): Promise<string[]> {
  const res = await fetch(`${t.url}/api/reports/annual/${year}/${version}/docx`, { headers: { cookie: s.editor.cookie } });
  expect(res.status).toBe(200);
  const docx = path.join(dir, `${year}.docx`);
  await writeFile(docx, Buffer.from(await res.arrayBuffer()));
  // Its own profile directory: two conversions at once would otherwise share (and lock) one.
  const profile = `file://${path.join(dir, `profile-${year}`)}`;
  await run('/usr/bin/libreoffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
    timeout: 120_000,
  });
  const pdf = path.join(dir, `${year}.pdf`);
  const info = (await run('/usr/bin/pdfinfo', [pdf])).stdout;
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const texts: string[] = [];
  for (let p = 1; p <= pages; p++)
    texts.push((await run('/usr/bin/pdftotext', ['-f', String(p), '-l', String(p), '-layout', pdf, '-'])).stdout);
  return texts;
}

/** Lines of a page made of one CJK character each (what a too-narrow column prints). */
const singleCharLines = (page: string): string[] =>
  page
    .split('\n')
    .flatMap((line) => line.trim().split(/\s{2,}/))
    .filter((cell) => /^[\u4e00-\u9fff]$/.test(cell));

describe.skipIf(missing.length > 0)('annual report DOCX rendered by LibreOffice', () => {
  it('prints 2021 (V2021) as the template: 三 on at most two pages, headers whole, 二 one table', async () => {
    await s.reviewer.post('/api/registers/applications', {
      applicantType: 'commercial',
      receivedOn: '2021-03-02',
      subject: '某村集体土地征收补偿标准',
      outcome: 'granted',
      repliedOn: '2021-03-20',
    });
    await s.reviewer.post('/api/registers/cases', { kind: 'litigation_direct', filedOn: '2021-06-01', summary: '不服答复' });
    const saved = await s.reviewer.request<AnnualReport>('PUT', '/api/reports/annual/2021/V2021', {
      problems: '一是公开渠道还不够全面。\n二是部分村公开不及时。',
      other: '本年度未收取信息处理费。',
    });
    expect(data(saved.body).invalid).toEqual([]);
    const pages = await renderPages(2021, 'V2021');
    const all = pages.join('\n');

    // The whole report: title to 六 on at most five A4 pages (the equal-column table alone ran over five).
    expect(pages.length).toBeLessThanOrEqual(5);
    const t3Pages = pages.flatMap((p, i) => (/予以公开|属于国家秘密|结转下年度继续办理/.test(p) ? [i] : []));
    expect(t3Pages.length).toBeGreaterThan(0);
    expect(t3Pages.at(-1)! - t3Pages[0]!).toBeLessThanOrEqual(1);

    // Header text and row labels whole: no cell printing a single character per line.
    for (const word of ['法人或其他组织', '申请人情况', '未经复议直接起诉', '复议后起诉', '行政复议', '行政诉讼', '本年制发件数']) {
      expect(all.replace(/\s+/g, '')).toContain(word);
    }
    const t4Page = pages.find((p) => p.includes('复议后起诉')) ?? '';
    expect(singleCharLines(t4Page.slice(t4Page.indexOf('四、政府信息公开')))).toEqual([]);
    // 法人或其他组织 stands on a line above 商业企业 … 其他 (it spans them), not beside them.
    const lines = all.split('\n');
    const corp = lines.findIndex((l) => l.includes('法人或其他组织'));
    // (商业企业 wraps in its 13 mm column; 自然人 prints on the same line as its first half.)
    const kinds = lines.findIndex((l) => l.includes('自然人'));
    expect(corp).toBeGreaterThanOrEqual(0);
    expect(kinds).toBeGreaterThan(corp);
    // 行政诉讼 on a line above its two kinds; 结果维持 under them.
    const lit = lines.findIndex((l) => l.includes('行政诉讼') && !l.includes('四、'));
    expect(lines.findIndex((l) => l.includes('未经复议直接起诉'))).toBeGreaterThan(lit);
    // 二 is one table: its item titles follow one another without a caption paragraph between tables.
    expect(all.indexOf('第二十条第（五）项')).toBeGreaterThan(all.indexOf('第二十条第（一）项'));
    // The 勾稽关系 note sits in 三's table corner, before the first row label.
    expect(all.replace(/\s+/g, '').indexOf('勾稽关系')).toBeLessThan(all.replace(/\s+/g, '').indexOf('一、本年新收政府信息公开申请数量'));
  }, 180_000);
});
