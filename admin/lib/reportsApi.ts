/**
 * The controller's ledger and report API as typed functions (kept apart from
 * {@link AdminApi} so report pages bring their own calls). Every call resolves
 * with an {@link Ack}; downloads are links the browser follows itself.
 */
import {
  type Ack,
  type AnnualDraftRequest,
  type AnnualReport,
  type ApplicationRequest,
  type CaseRequest,
  type CheckpointExport,
  type LedgerIntegrityReport,
  type ComplianceReport,
  type DisclosureApplication,
  type DisclosureStats,
  type LitigationCase,
  type ManualDisclosure,
  type ManualDisclosureRequest,
  type PhotoRef,
  type Period,
  type ReportVersion,
  type Satisfaction,
  type TimelinessRow,
  type VillageChecks,
  fail,
} from '@protocol';
import { queryString } from './api';

/** What `GET /api/ledger/verify` answers (controller/store/verify.ts). */
export type Verification =
  | { ok: true; records: number; checkpoint: { seq: number; headHash: string; at: number } }
  | { ok: false; records: number; firstBroken: { file: string; line: number; seq: number | null; reason: string } };

export interface Range {
  from: string;
  to: string;
  villageId?: string;
}

export interface ReportsApi {
  checkpoint: () => Promise<Ack<CheckpointExport>>;
  /** The ledger's own check and the alarms its devices report (the shell's alarm). */
  integrity: () => Promise<Ack<LedgerIntegrityReport>>;
  acceptLedger: (reason: string) => Promise<Ack<unknown>>;
  verify: (against?: { seq: number; headHash: string }) => Promise<Ack<Verification>>;
  manual: (range?: Partial<Range>) => Promise<Ack<ManualDisclosure[]>>;
  recordManual: (body: ManualDisclosureRequest) => Promise<Ack<ManualDisclosure>>;
  uploadPhoto: (file: Blob) => Promise<Ack<PhotoRef>>;
  stats: (range: Range) => Promise<Ack<DisclosureStats>>;
  timeliness: (range: Range) => Promise<Ack<TimelinessRow[]>>;
  checks: (period: Period, key: string) => Promise<Ack<VillageChecks>>;
  satisfaction: (range: Range) => Promise<Ack<Satisfaction>>;
  compliance: (range: Range) => Promise<Ack<ComplianceReport>>;
  applications: () => Promise<Ack<DisclosureApplication[]>>;
  saveApplication: (id: string | null, body: ApplicationRequest) => Promise<Ack<DisclosureApplication>>;
  cases: () => Promise<Ack<LitigationCase[]>>;
  saveCase: (id: string | null, body: CaseRequest) => Promise<Ack<LitigationCase>>;
  /** The town's report, or with `villageId` that village's figures. */
  annual: (year: number, version: ReportVersion, villageId?: string) => Promise<Ack<AnnualReport>>;
  saveAnnual: (year: number, version: ReportVersion, body: AnnualDraftRequest) => Promise<Ack<AnnualReport>>;
  /** Addresses the browser downloads or opens directly. */
  links: {
    csv: (report: 'stats' | 'timeliness' | 'satisfaction' | 'compliance', range: Range) => string;
    checksCsv: (period: Period, key: string) => string;
    annualDocx: (year: number, version: ReportVersion, villageId?: string) => string;
    annualHtml: (year: number, version: ReportVersion, villageId?: string) => string;
    ledgerExport: (format: 'csv' | 'jsonl', filter: Record<string, string>) => string;
    photo: (sha256: string) => string;
  };
}

const isAck = (value: unknown): value is Ack<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

export function createReportsApi(options: { fetch?: typeof fetch; onUnauthorized?: () => void } = {}): ReportsApi {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: Blob): Promise<Ack<T>> {
    let response: Response;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (raw) headers['content-type'] = raw.type || 'application/octet-stream';
      else if (method !== 'GET') headers['content-type'] = 'application/json';
      response = await fetchFn(path, {
        method,
        credentials: 'same-origin',
        headers,
        body: raw ?? (method === 'GET' ? undefined : JSON.stringify(body ?? {})),
      });
    } catch {
      return fail('unavailable', 'the controller cannot be reached');
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!isAck(json)) return fail('unavailable', `unexpected answer from the controller (HTTP ${response.status})`);
    const ack = json as Ack<T>;
    if (!ack.ok && ack.error === 'unauthorized') options.onUnauthorized?.();
    return ack;
  }
  const q = (value: object): string => queryString(value);
  return {
    checkpoint: () => call('GET', '/api/ledger/checkpoint'),
    integrity: () => call('GET', '/api/ledger/integrity'),
    acceptLedger: (reason) => call('POST', '/api/ledger/integrity/accept', { reason }),
    verify: (against) => call('GET', `/api/ledger/verify${against ? q(against) : ''}`),
    manual: (range = {}) => call('GET', `/api/disclosures/manual${q(range)}`),
    recordManual: (body) => call('POST', '/api/disclosures/manual', body),
    uploadPhoto: (file) => call('POST', '/api/disclosures/photos', undefined, file),
    stats: (range) => call('GET', `/api/reports/stats${q(range)}`),
    timeliness: (range) => call('GET', `/api/reports/timeliness${q(range)}`),
    checks: (period, key) => call('GET', `/api/reports/checks${q({ period, key })}`),
    satisfaction: (range) => call('GET', `/api/reports/satisfaction${q(range)}`),
    compliance: (range) => call('GET', `/api/reports/compliance${q(range)}`),
    applications: () => call('GET', '/api/registers/applications'),
    saveApplication: (id, body) =>
      id === null
        ? call('POST', '/api/registers/applications', body)
        : call('PUT', `/api/registers/applications/${encodeURIComponent(id)}`, body),
    cases: () => call('GET', '/api/registers/cases'),
    saveCase: (id, body) =>
      id === null ? call('POST', '/api/registers/cases', body) : call('PUT', `/api/registers/cases/${encodeURIComponent(id)}`, body),
    annual: (year, version, villageId) => call('GET', `/api/reports/annual/${year}/${version}${q(villageId ? { villageId } : {})}`),
    saveAnnual: (year, version, body) => call('PUT', `/api/reports/annual/${year}/${version}`, body),
    links: {
      csv: (report, range) => `/api/reports/${report}.csv${q(range)}`,
      checksCsv: (period, key) => `/api/reports/checks.csv${q({ period, key })}`,
      annualDocx: (year, version, villageId) => `/api/reports/annual/${year}/${version}/docx${q(villageId ? { villageId } : {})}`,
      annualHtml: (year, version, villageId) => `/api/reports/annual/${year}/${version}/html${q(villageId ? { villageId } : {})}`,
      ledgerExport: (format, filter) => `/api/ledger/export${q({ ...filter, format })}`,
      photo: (sha256) => `/api/disclosures/photos/${sha256}`,
    },
  };
}
