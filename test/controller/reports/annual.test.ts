/**
 * The annual report: the seed year (彪角镇 2019: 113 items, 96 via 公示栏 and 17
 * via 政务微信, no applications, no cases) gives a valid 2019 report stating
 * those figures; the registers fill T3/T4; broken rules refuse export naming the cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnnualReport,
  type DisclosureApplication,
  PAGE_TEXT_MM,
  type ReportTable,
  t2Grid,
  tableGrid,
} from '../../../controller/protocol/index.js';
import { validateReport } from '../../../controller/reports/compute/annual.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const day = (i: number): string => {
  const d = new Date(Date.UTC(2019, 0, 1 + ((i * 3) % 365)));
  return d.toISOString().slice(0, 10);
};
const values = (table: ReportTable): number[] => table.rows.flatMap((r) => r.cells.map((c) => c.value ?? 0));

describe('annual report', () => {
  it('states the seed year 2019: 113 items, 96 via 公示栏, 17 via 政务微信, T3/T4 all zeros and valid', async () => {
    for (let i = 0; i < 113; i++) {
      // Entered years later from the paper register: a reviewer confirms each (issue 14).
      const res = await s.reviewer.post('/api/disclosures/manual', {
        channel: i < 96 ? 'board' : 'wechat',
        title: `2019年第${i + 1}条政府信息`,
        disclosedOn: day(i),
        lateReason: '据2019年纸质台账补录',
      });
      expect(res.status).toBe(201);
    }
    const report = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2019/V2019')).body);
    expect(report.overview[0]).toBe('2019年，彪角镇全年共主动公开各类政府信息113条。其中，通过政府公示栏96条，通过政务微信17条。');
    expect(report.overview).toContain('全年未收到政府信息公开申请。');
    expect(report.overview).toContain('全年无政府信息公开行政复议、行政诉讼案件。');
    expect(report.figures).toMatchObject({ total: 113, applications: 0, cases: 0 });
    expect(report.t3.rows.filter((r) => !r.heading)).toHaveLength(23);
    expect(values(report.t3).every((v) => v === 0)).toBe(true);
    expect(values(report.t3)).toHaveLength(23 * 7);
    expect(values(report.t4)).toEqual(new Array(15).fill(0));
    // The tables pass; 五 and 六 wait for the town's own text, and export waits with them.
    expect(report.invalid.map((p) => p.cell)).toEqual(['problems', 'other']);
    const held = await s.editor.get('/api/reports/annual/2019/V2019/docx');
    expect(held.status).toBe(409);
    expect(held.body).toMatchObject({ fields: { problems: expect.stringContaining('五、'), other: expect.stringContaining('无。') } });
    const texts = { problems: '一是公开渠道单一，主要依靠政府公示栏。', other: '无。' };
    expect(data((await s.reviewer.request<AnnualReport>('PUT', '/api/reports/annual/2019/V2019', texts)).body).invalid).toEqual([]);
    // Printed as the template: 三's corner note over three label columns, 法人或其他组织 over five kinds.
    const t3 = tableGrid(report.t3);
    expect(t3.head[0]?.[0]).toMatchObject({ text: expect.stringContaining('勾稽关系'), colSpan: 3, rowSpan: 3 });
    expect(t3.head[1]?.map((c) => [c.text, c.colSpan, c.rowSpan])).toEqual([
      ['自然人', 1, 2],
      ['法人或其他组织', 5, 1],
      ['总计', 1, 2],
    ]);
    expect(t3.head[2]?.map((c) => c.text)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
    // V2019: （一）（二）, 8 + 3 + 5 leaves, （六） as one row, （七）: 20 rows under 三、本年度办理结果.
    expect(t3.body[2]?.[0]).toMatchObject({ text: '三、本年度办理结果', rowSpan: 20 });
    expect(t3.body.every((r) => r.reduce((a, c) => a + (c.rowSpan === 1 ? c.colSpan : 0), 0) <= 10)).toBe(true);
    expect(t3.widthsMm.reduce((a, w) => a + w, 0)).toBeCloseTo(PAGE_TEXT_MM);
    const t4 = tableGrid(report.t4);
    expect(t4.head.map((r) => r.map((c) => c.text).join('|'))).toEqual([
      '行政复议|行政诉讼',
      '未经复议直接起诉|复议后起诉',
      '结果维持|结果纠正|其他结果|尚未审结|总计|'.repeat(3).slice(0, -1),
    ]);
    expect(t4.body).toHaveLength(1);
    // 二 is one table of four columns: each item's title spans it, a one-number item's value spans three.
    const t2 = t2Grid(report.t2);
    expect(t2.widthsMm).toHaveLength(4);
    expect(t2.body.filter((r) => r[0]?.caption).map((r) => r[0]?.colSpan)).toEqual([4, 4, 4, 4, 4]);
    expect(report.t2.map((x) => x.caption)).toEqual([
      '第二十条第（一）项',
      '第二十条第（一）项'.replace('一', '五'),
      '第二十条第（六）项',
      '第二十条第（八）项',
      '第二十条第（九）项',
    ]);

    const docx = await fetch(`${t.url}/api/reports/annual/2019/V2019/docx`, { headers: { cookie: s.editor.cookie } });
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    expect(decodeURIComponent(docx.headers.get('content-disposition') ?? '')).toContain('彪角镇2019年政府信息公开工作年度报告.docx');
    expect(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    const html = await (await fetch(`${t.url}/api/reports/annual/2019/V2019/html`, { headers: { cookie: s.editor.cookie } })).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('通过政府公示栏96条，通过政务微信17条。');
    expect(html).toContain('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
    expect(html).toContain('<link rel="stylesheet" href="/api/reports/annual.css">');
    const css = await (await fetch(`${t.url}/api/reports/annual.css`, { headers: { cookie: s.editor.cookie } })).text();
    expect(css).toContain('text-indent: 2em');
  });

  it('counts T3 from the application register across years and T4 from the case register', async () => {
    const app = data(
      (
        await s.reviewer.post<DisclosureApplication>('/api/registers/applications', {
          applicantType: 'commercial',
          receivedOn: '2021-12-20',
          subject: '某道路工程招标文件',
        })
      ).body,
    );
    await s.reviewer.post('/api/registers/applications', {
      applicantType: 'natural',
      receivedOn: '2021-03-01',
      subject: '低保名单',
      outcome: 'partial',
      repliedOn: '2021-03-15',
    });
    await s.reviewer.post('/api/registers/cases', {
      kind: 'reconsideration',
      filedOn: '2021-05-01',
      summary: '不服部分公开',
      result: 'upheld',
      concludedOn: '2021-07-01',
    });
    await s.reviewer.post('/api/registers/cases', {
      kind: 'litigation_direct',
      filedOn: '2021-11-01',
      summary: '起诉',
      result: 'corrected',
      concludedOn: '2022-02-01',
    });

    const y2021 = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2021/V2021')).body);
    const cell = (r: AnnualReport, id: string) => [...r.t3.rows, ...r.t4.rows].flatMap((x) => x.cells).find((c) => c.id === id)?.value;
    expect(y2021.t3.rows.filter((r) => !r.heading)).toHaveLength(25);
    expect([cell(y2021, 't3.new.commercial'), cell(y2021, 't3.new.natural'), cell(y2021, 't3.new.total')]).toEqual([1, 1, 2]);
    expect([cell(y2021, 't3.partial.natural'), cell(y2021, 't3.total.total'), cell(y2021, 't3.carryover.commercial')]).toEqual([1, 1, 1]);
    expect(cell(y2021, 't4.reconsideration.upheld')).toBe(1);
    // Concluded only in 2022: still pending at the end of 2021.
    expect([cell(y2021, 't4.litigation_direct.pending'), cell(y2021, 't4.litigation_direct.corrected')]).toEqual([1, 0]);
    expect(y2021.invalid.map((p) => p.cell)).toEqual(['problems', 'other']);
    expect(y2021.overview).toContain('全年收到政府信息公开申请2件。');

    // The commercial request is answered in 2022: carried over into 2022 and concluded there.
    await s.reviewer.request('PUT', `/api/registers/applications/${app.id}`, {
      applicantType: 'commercial',
      receivedOn: '2021-12-20',
      subject: '某道路工程招标文件',
      outcome: 'other_fee_unpaid',
      repliedOn: '2022-01-10',
    });
    const y2022 = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2022/V2021')).body);
    expect([
      cell(y2022, 't3.carried.commercial'),
      cell(y2022, 't3.other_fee_unpaid.commercial'),
      cell(y2022, 't3.carryover.total'),
    ]).toEqual([1, 1, 0]);
    expect(y2022.invalid.map((p) => p.cell)).toEqual(['problems', 'other']);
    // V2019 has one （六）其他处理 row; it can be looked at for 2022, but it is not 2022's format.
    const v2019 = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2022/V2019')).body);
    expect(cell(v2019, 't3.other.commercial')).toBe(1);
    expect(v2019.invalid[0]).toEqual({ cell: 'version', message: expect.stringContaining('国办公开办函〔2021〕30号') });
  });

  it('refuses register entries that contradict themselves, naming the field', async () => {
    const res = await s.reviewer.post('/api/registers/applications', {
      applicantType: 'alien',
      receivedOn: '2021-03-01',
      subject: 'x',
      outcome: 'granted',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ fields: { applicantType: expect.any(String) } });
    const noDate = await s.reviewer.post('/api/registers/applications', {
      applicantType: 'natural',
      receivedOn: '2021-03-01',
      subject: 'x',
      outcome: 'granted',
    });
    expect(noDate.body).toMatchObject({ fields: { repliedOn: expect.any(String) } });
    const before = data((await s.reviewer.get<DisclosureApplication[]>('/api/registers/applications')).body).length;
    expect(before).toBe(2);
    const early = await s.reviewer.post('/api/registers/cases', {
      kind: 'reconsideration',
      filedOn: '2021-05-01',
      summary: 'x',
      result: 'upheld',
      concludedOn: '2021-04-01',
    });
    expect(early.body).toMatchObject({ fields: { concludedOn: expect.stringContaining('before') } });
    expect((await s.editor.post('/api/registers/cases', { kind: 'reconsideration', filedOn: '2021-05-01', summary: 'x' })).status).toBe(
      403,
    );
  });

  it('takes staff cells and text, refuses to export while a rule fails naming the cell, and prefills next year', async () => {
    const saved = await s.reviewer.request<AnnualReport>('PUT', '/api/reports/annual/2020/V2019', {
      cells: { 't2.1.0.0': 12, 't2.1.0.1': -3, 't2.4.0.1': 1.5 },
      problems: '一是公开渠道还不够全面。\n二是部分村公开不及时。',
      other: '本年度未收取信息处理费。',
    });
    const report = data(saved.body);
    expect(report.invalid).toEqual([]);
    expect(report.t2[1]?.rows[0]?.cells.map((c) => c.value)).toEqual([12, -3, 0]);

    const bad = await s.reviewer.request<AnnualReport>('PUT', '/api/reports/annual/2020/V2019', {
      cells: { 't2.1.0.0': 2.5, 't2.2.0.2': -1 },
      problems: '一是公开渠道还不够全面。',
      other: '无。',
    });
    expect(data(bad.body).invalid.map((p) => p.cell)).toEqual(['t2.1.0.0', 't2.2.0.2']);
    const refused = await s.editor.get('/api/reports/annual/2020/V2019/docx');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      ok: false,
      fields: { 't2.1.0.0': expect.stringContaining('整数'), 't2.2.0.2': expect.stringContaining('负数') },
    });
    expect((await s.editor.get('/api/reports/annual/2020/V2019/html')).status).toBe(409);

    const auto = await s.reviewer.request('PUT', '/api/reports/annual/2020/V2019', { cells: { 't2.0.0.0': 1 } });
    expect(auto.status).toBe(400);
    expect(auto.body).toMatchObject({ fields: { 'cells.t2.0.0.0': expect.any(String) } });

    await s.reviewer.request('PUT', '/api/reports/annual/2020/V2019', { problems: '一是公开渠道还不够全面。', other: '无。' });
    const next = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2021/V2021')).body);
    expect(next).toMatchObject({ problems: '一是公开渠道还不够全面。', other: '无。', prefilledFromYear: 2020 });
    expect((await s.reviewer.get('/api/reports/annual/1999/V2019')).status).toBe(400);
    // The format follows the year: 2019 and 2020 in 〔2019〕60号, from 2021 on 〔2021〕30号; the other one is never exported.
    const mismatch = await s.editor.get('/api/reports/annual/2023/V2019/docx');
    expect(mismatch.status).toBe(409);
    expect(mismatch.body).toMatchObject({ fields: { version: expect.stringContaining('2023年度报告应使用国办公开办函〔2021〕30号格式') } });
    const early = data((await s.reviewer.get<AnnualReport>('/api/reports/annual/2020/V2021')).body);
    expect(early.invalid.map((p) => p.message)).toContainEqual(expect.stringContaining('〔2019〕60号'));
    expect((await s.reviewer.get('/api/reports/annual/2023/V2020')).body).toMatchObject({ fields: { version: expect.any(String) } });
  });
});

describe('validateReport', () => {
  const table = (rows: [string, number[]][]): ReportTable => ({
    caption: '',
    cols: [],
    rows: rows.map(([id, vals]) => ({
      id: `t3.${id}`,
      label: id,
      indent: 0,
      cells: ['natural', 'commercial', 'research', 'public_welfare', 'legal_service', 'other', 'total'].map((c, i) => ({
        id: `t3.${id}.${c}`,
        value: vals[i] ?? 0,
        manual: false,
      })),
    })),
  });

  it('names the failing cell of each official rule', () => {
    const t3 = table([
      ['new', [2, 0, 0, 0, 0, 0, 2]],
      ['carried', [0, 0, 0, 0, 0, 0, 0]],
      ['granted', [1, 0, 0, 0, 0, 0, 1]],
      ['total', [1, 0, 0, 0, 0, 0, 1]],
      ['carryover', [0, 0, 0, 0, 0, 0, 0]],
      ['partial', [0, 1, 0, 0, 0, 0, 0]],
    ]);
    const t4: ReportTable = {
      caption: '',
      cols: [],
      rows: [
        {
          id: 't4.cases',
          label: '',
          indent: 0,
          cells: [
            { id: 't4.reconsideration.upheld', value: 1, manual: false },
            { id: 't4.reconsideration.total', value: 2, manual: false },
          ],
        },
      ],
    };
    const cells = validateReport({ version: 'V2019', t2: [], t3, t4 }).map((p) => p.cell);
    // 一 + 二 (2) ≠ 总计 + 四 (1) for 自然人; the total column too; 部分公开's row total omits 商业企业; the commercial column's leaves (1) ≠ 总计 (0); T4 total ≠ its parts.
    expect(cells).toEqual(
      expect.arrayContaining(['t3.total.natural', 't3.total.total', 't3.partial.total', 't3.total.commercial', 't4.reconsideration.total']),
    );
    expect(validateReport({ version: 'V2019', t2: [], t3: table([]), t4: { ...t4, rows: [] } })).toEqual([]);
  });
});
