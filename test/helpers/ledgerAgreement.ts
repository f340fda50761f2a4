/**
 * Do the ledger and state.json tell the same story about notices? Read from
 * the files themselves (a controller may be stopped or killed). Every
 * effective (not voided) `notice.created`, `notice.submitted` and
 * `notice.approved` must be in the state; every notice and approved version in
 * the state must have its effective record; no version may have two effective
 * approvals. Each disagreement is one contradiction, described.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NoticeRecord } from '../../controller/domain/notices.js';
import type { NoticeVersion } from '../../controller/protocol/index.js';
import { readLedger } from '../faults/system/controllerProcess.js';

export async function ledgerStateContradictions(dataDir: string): Promise<string[]> {
  const state = JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')) as { notices: NoticeRecord[] };
  const records = await readLedger(dataDir);
  const voided = new Set(records.filter((r) => r.type === 'ledger.void').map((r) => r.voids));
  const effective = records.filter((r) => r.type.startsWith('notice.') && !voided.has(r.seq));
  const versions = new Map<string, NoticeVersion>();
  for (const n of state.notices) for (const v of n.versions) versions.set(v.id, v);
  const noticeIds = new Set(state.notices.map((n) => n.id));
  const out: string[] = [];
  const approvals = new Map<string, number>();
  const created = new Set<string>();
  for (const r of effective) {
    const version = versions.get(String(r.versionId));
    const at = `${r.type} #${r.seq} (notice ${String(r.noticeId)})`;
    if (r.type === 'notice.created') {
      created.add(String(r.noticeId));
      if (!noticeIds.has(String(r.noticeId)) || !version) out.push(`${at}: the notice is not in the state`);
    } else if (r.type === 'notice.submitted') {
      if (!version || version.submittedAt === null)
        out.push(`${at}: the state has the version unsubmitted (${version?.state ?? 'missing'})`);
    } else if (r.type === 'notice.approved' || r.type === 'notice.corrected') {
      approvals.set(String(r.versionId), (approvals.get(String(r.versionId)) ?? 0) + 1);
      if (version?.review?.decision !== 'approved') out.push(`${at}: the state has the version ${version?.state ?? 'missing'}`);
    }
  }
  const demo = new Set(effective.filter((r) => r.demo).map((r) => String(r.noticeId)));
  for (const n of state.notices) {
    if (!demo.has(n.id) && !created.has(n.id)) out.push(`notice ${n.id} is in the state but no effective notice.created says so`);
    for (const v of n.versions) {
      const count = approvals.get(v.id) ?? 0;
      if (v.review?.decision === 'approved' && count !== 1)
        out.push(`version ${v.id} is approved in the state with ${count} effective approvals`);
    }
  }
  return out;
}
