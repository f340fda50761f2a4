/**
 * A controller killed between a notice approval's ledger record and its state
 * write (reproduced by appending the record to the ledger of a stopped
 * controller, exactly what the crash leaves): the next start voids the record
 * with its reason, the notice is still pending review, approving it again
 * gives one effective approval, and the statistics count one review, not two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { type DisclosureStats, type Notice, civilDateOf } from '../../../controller/protocol/index.js';
import { createLedger } from '../../../controller/store/ledger.js';
import { ATTESTATION, type TestController, data, restartController, staff, startController } from '../../helpers/controller.js';
import { ledgerStateContradictions } from '../../helpers/ledgerAgreement.js';
import { readLedger } from '../../faults/system/controllerProcess.js';

let t: TestController;
const today = civilDateOf(Date.now());
const range = `from=${today.slice(0, 8)}01&to=${today}`;

beforeAll(async () => {
  t = await startController();
}, 60_000);
afterAll(async () => {
  await t.dispose();
}, 60_000);

describe('a crash between an approval’s ledger record and its state write', () => {
  it('is voided at the next start, and approving again counts once', async () => {
    let s = await staff(t);
    const before = data((await s.editor.get<DisclosureStats>(`/api/reports/stats?${range}`)).body);
    const notice = data(
      (await s.editor.post<Notice>('/api/notices', { title: '停水通知', body: '明日停水。', target: { scope: 'town' } })).body,
    );
    data((await s.editor.post(`/api/notices/${notice.id}/submit`)).body);
    const versionId = notice.versions[0]?.id;
    await t.stop();

    // What the crash leaves: the approval durable in the ledger, the state still pending review.
    const ledger = createLedger({ dataDir: t.dataDir, logger: createLogger({ level: 'silent' }), now: Date.now });
    await ledger.start();
    const [orphan] = await ledger.append([
      { type: 'notice.approved', noticeId: notice.id, versionId, contentHash: notice.versions[0]?.contentHash, actorId: 'u-demo-reviewer' },
    ]);
    await ledger.stop();

    t = await restartController(t);
    expect((await readLedger(t.dataDir)).filter((r) => r.type === 'ledger.void' && r.voids === orphan?.seq)).toHaveLength(1);
    expect(await ledgerStateContradictions(t.dataDir)).toEqual([]);
    s = await staff(t);
    expect(data((await s.editor.get<Notice>(`/api/notices/${notice.id}`)).body).state).toBe('pending_review');

    data((await s.reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    expect(await ledgerStateContradictions(t.dataDir)).toEqual([]);
    const after = data((await s.editor.get<DisclosureStats>(`/api/reports/stats?${range}`)).body);
    expect(after.reviewed - before.reviewed).toBe(1);
    expect(after.total - before.total).toBe(1);
  });
});
