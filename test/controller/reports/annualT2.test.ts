/**
 * T2 第二十条第（一）项 of the annual report comes from the notices' document
 * type: 行政规范性文件 formed, issued, repealed (withdrawn) and in force; 规章 is
 * 0 for a town even when it republishes one; ordinary notices do not count.
 * The cells are the system's, so staff cannot overwrite them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnnualReport, type Notice, civilDateOf } from '../../../controller/protocol/index.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const year = Number(civilDateOf(Date.now()).slice(0, 4));

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

async function publish(title: string, docType?: string): Promise<Notice> {
  const draft = data(
    (
      await s.editor.post<Notice>('/api/notices', {
        title,
        body: `${title}全文。`,
        docNumber: '彪政〔2026〕3号',
        ...(docType ? { docType } : {}),
        target: { scope: 'town' },
      })
    ).body,
  );
  data((await s.editor.post(`/api/notices/${draft.id}/submit`)).body);
  return data((await s.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
}

const firstTable = (report: AnnualReport) =>
  report.t2[0]!.rows.map((r) => ({ label: r.label, cells: r.cells.map((c) => [c.value, c.manual]) }));

describe('T2 from notice document types', () => {
  it('counts 行政规范性文件 issued, repealed and in force, and keeps 规章 at 0', async () => {
    const kept = await publish('彪角镇村级公益事业一事一议筹资筹劳管理办法', 'normative');
    expect(kept.live?.content.docType).toBe('normative');
    const repealed = await publish('彪角镇农村宅基地审批暂行规定', 'normative');
    data((await s.reviewer.post(`/api/notices/${repealed.id}/withdraw`, { reason: '已被县级文件取代，予以废止' })).body);
    const regulation = await publish('转发《河南省村务公开条例》', 'regulation');
    expect(regulation.live?.content.docType).toBe('regulation');
    const ordinary = await publish('秋季防火通知');
    expect(ordinary.live?.content).not.toHaveProperty('docType');

    const v2021 = data((await s.reviewer.get<AnnualReport>(`/api/reports/annual/${year}/V2021`)).body);
    expect(firstTable(v2021)).toEqual([
      {
        label: '规章',
        cells: [
          [0, false],
          [0, false],
          [0, false],
        ],
      },
      {
        label: '行政规范性文件',
        cells: [
          [2, false],
          [1, false],
          [1, false],
        ],
      },
    ]);
    const v2019 = data((await s.reviewer.get<AnnualReport>(`/api/reports/annual/${year}/V2019`)).body);
    expect(firstTable(v2019)).toEqual([
      {
        label: '规章',
        cells: [
          [0, false],
          [0, false],
          [0, false],
        ],
      },
      {
        label: '规范性文件',
        cells: [
          [2, false],
          [2, false],
          [1, false],
        ],
      },
    ]);
    // The other T2 tables stay with staff.
    expect(v2021.t2.slice(1).every((table) => table.rows.every((r) => r.cells.every((c) => c.manual)))).toBe(true);

    const overwrite = await s.reviewer.request('PUT', `/api/reports/annual/${year}/V2021`, { cells: { 't2.0.1.1': 5 } });
    expect(overwrite.status).toBe(400);
    expect(overwrite.body).toMatchObject({ ok: false, fields: { 'cells.t2.0.1.1': expect.any(String) } });
  });

  it('refuses an unknown document type, naming the field, and saves nothing', async () => {
    const before = data((await s.editor.get<{ total: number }>('/api/notices')).body).total;
    const res = await s.editor.post('/api/notices', { title: '测试', body: '测试。', docType: '红头文件', target: { scope: 'town' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, fields: { docType: expect.stringContaining('文件类型') } });
    expect(data((await s.editor.get<{ total: number }>('/api/notices')).body).total).toBe(before);
  });
});
