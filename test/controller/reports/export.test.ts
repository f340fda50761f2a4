/** Ledger exports by filter, streamed as JSON Lines or CSV, each with the checkpoint that covers it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointExport } from '../../../controller/protocol/index.js';
import { type LedgerRecord, hashRecord } from '../../../controller/store/ledger.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let s: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

beforeAll(async () => {
  t = await startController();
  s = await staff(t);
  for (const [i, channel] of ['board', 'wechat', 'board'].entries()) {
    await s.reviewer.post('/api/disclosures/manual', {
      channel,
      title: `第${i + 1}条, "引号"\n换行`,
      disclosedOn: '2026-01-05',
      lateReason: '按纸质台账补录',
    });
  }
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

const get = (path: string, client: ApiClient = s.reviewer) => fetch(`${t.url}${path}`, { headers: { cookie: client.cookie } });

describe('ledger export', () => {
  it('streams JSON Lines: the checkpoint first, then the records as stored, each re-hashable', async () => {
    const head = data((await s.reviewer.get<CheckpointExport>('/api/ledger/checkpoint')).body);
    const res = await get('/api/ledger/export?format=jsonl&type=disclosure.manual');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const seq = Number(res.headers.get('x-ledger-checkpoint-seq'));
    expect(seq).toBeGreaterThanOrEqual(head.seq);
    const [first, ...lines] = (await res.text()).trimEnd().split('\n');
    expect(JSON.parse(first ?? '')).toEqual({
      checkpoint: expect.objectContaining({ seq, headHash: res.headers.get('x-ledger-checkpoint-hash') }),
    });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const { hash, ...rest } = JSON.parse(line) as LedgerRecord;
      expect(rest.type).toBe('disclosure.manual');
      expect(hashRecord(rest)).toBe(hash);
      expect(rest.seq).toBeLessThanOrEqual(seq);
    }
  });

  it('streams CSV with the checkpoint line, quoted fields and the stored record', async () => {
    const res = await get('/api/ledger/export?format=csv&type=disclosure.&from=2020-01-01');
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    const rows = text.split('\r\n');
    expect(rows[0]).toMatch(/^\uFEFF# checkpoint seq=\d+ headHash=[0-9a-f]{64} at=/);
    expect(rows[1]).toBe('seq,time,type,noticeId,deviceId,villageId,actorId,hash,record');
    expect(text.match(/,disclosure\.manual,/g)).toHaveLength(3);
    // The stored record is one quoted field: its quotes doubled, its escaped newline kept.
    expect(text).toContain('\\""引号\\""\\n换行');
  });

  it('filters by date and refuses bad filters naming the field', async () => {
    const none = await (await get('/api/ledger/export?format=jsonl&from=2000-01-01&to=2000-12-31')).text();
    expect(none.trimEnd().split('\n')).toHaveLength(1);
    const bad = await s.reviewer.get('/api/ledger/export?format=xml&from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ fields: { format: expect.any(String), from: expect.any(String) } });
    expect((await get('/api/ledger/export?format=jsonl', s.editor)).status).toBe(403);
  });
});
