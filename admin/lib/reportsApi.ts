/**
 * The controller's ledger and report API as typed functions (kept apart from
 * {@link AdminApi} so report pages bring their own calls), on the typed client
 * (client.ts) and its route table. Every call resolves with an {@link Ack};
 * downloads are links the browser follows itself.
 */
import type { Ack, LedgerVerification, Period, ReportVersion } from '@protocol';
import { type JsonRoute, type RouteAnswer, type RouteBody, type RouteQuery, createClient } from './client';

/** What `GET /api/ledger/verify` answers (controller/store/verify.ts). */
export type Verification = LedgerVerification;

/** A report's period and, for a report on one village, the village. */
export type Range = RouteQuery<'stats'>;

type Answer<K extends JsonRoute> = Promise<Ack<RouteAnswer<K>>>;

export interface ReportsApi {
  checkpoint: () => Answer<'checkpoint'>;
  /** The ledger's own check and the alarms its devices report (the shell's alarm). */
  integrity: () => Answer<'integrity'>;
  acceptLedger: (reason: string) => Answer<'acceptLedger'>;
  verify: (against?: { seq: number; headHash: string }) => Answer<'verifyLedger'>;
  manual: (range?: RouteQuery<'manual'>) => Answer<'manual'>;
  recordManual: (body: RouteBody<'recordManual'>) => Answer<'recordManual'>;
  uploadPhoto: (file: Blob) => Answer<'uploadPhoto'>;
  stats: (range: Range) => Answer<'stats'>;
  timeliness: (range: Range) => Answer<'timeliness'>;
  checks: (period: Period, key: string) => Answer<'checks'>;
  satisfaction: (range: Range) => Answer<'satisfaction'>;
  compliance: (range: RouteQuery<'compliance'>) => Answer<'compliance'>;
  applications: () => Answer<'applications'>;
  saveApplication: (id: string | null, body: RouteBody<'createApplication'>) => Answer<'createApplication'>;
  cases: () => Answer<'cases'>;
  saveCase: (id: string | null, body: RouteBody<'createCase'>) => Answer<'createCase'>;
  /** The town's report, or with `villageId` that village's figures. */
  annual: (year: number, version: ReportVersion, villageId?: string) => Answer<'annual'>;
  saveAnnual: (year: number, version: ReportVersion, body: RouteBody<'saveAnnual'>) => Answer<'saveAnnual'>;
  /** Addresses the browser downloads or opens directly. */
  links: {
    csv: (report: 'stats' | 'timeliness' | 'satisfaction' | 'compliance', range: Range) => string;
    checksCsv: (period: Period, key: string) => string;
    annualDocx: (year: number, version: ReportVersion, villageId?: string) => string;
    annualHtml: (year: number, version: ReportVersion, villageId?: string) => string;
    ledgerExport: (format: 'csv' | 'jsonl', filter: Omit<RouteQuery<'ledgerExport'>, 'format'>) => string;
    photo: (sha256: string) => string;
  };
}

const CSV = { stats: 'statsCsv', timeliness: 'timelinessCsv', satisfaction: 'satisfactionCsv', compliance: 'complianceCsv' } as const;

export function createReportsApi(options: { fetch?: typeof fetch; onUnauthorized?: () => void } = {}): ReportsApi {
  const { call, href } = createClient(options);
  const annual = (year: number, version: ReportVersion) => ({ year: String(year), version });
  const ofVillage = (villageId: string | undefined) => (villageId ? { villageId } : {});
  return {
    checkpoint: () => call('checkpoint'),
    integrity: () => call('integrity'),
    acceptLedger: (reason) => call('acceptLedger', { body: { reason } }),
    verify: (against) => call('verifyLedger', { query: against ?? {} }),
    manual: (range = {}) => call('manual', { query: range }),
    recordManual: (body) => call('recordManual', { body }),
    uploadPhoto: (file) => call('uploadPhoto', { body: file }),
    stats: (range) => call('stats', { query: range }),
    timeliness: (range) => call('timeliness', { query: range }),
    checks: (period, key) => call('checks', { query: { period, key } }),
    satisfaction: (range) => call('satisfaction', { query: range }),
    compliance: (range) => call('compliance', { query: range }),
    applications: () => call('applications'),
    saveApplication: (id, body) =>
      id === null ? call('createApplication', { body }) : call('updateApplication', { params: { id }, body }),
    cases: () => call('cases'),
    saveCase: (id, body) => (id === null ? call('createCase', { body }) : call('updateCase', { params: { id }, body })),
    annual: (year, version, villageId) => call('annual', { params: annual(year, version), query: ofVillage(villageId) }),
    saveAnnual: (year, version, body) => call('saveAnnual', { params: annual(year, version), body }),
    links: {
      csv: (report, range) => href(CSV[report], { query: range }),
      checksCsv: (period, key) => href('checksCsv', { query: { period, key } }),
      annualDocx: (year, version, villageId) => href('annualDocx', { params: annual(year, version), query: ofVillage(villageId) }),
      annualHtml: (year, version, villageId) => href('annualHtml', { params: annual(year, version), query: ofVillage(villageId) }),
      ledgerExport: (format, filter) => href('ledgerExport', { query: { ...filter, format } }),
      photo: (sha256) => href('photo', { params: { sha256 } }),
    },
  };
}
