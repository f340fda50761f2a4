/**
 * The reports, in the order the data flows:
 *
 * 1. `projection/`: the ledger folded into aggregates, one record at a time
 *    as each becomes durable (`tap.ts` tells, `aggregates.ts` and
 *    `coverage.ts` fold, `receiptTime.ts` judges a receipt's times,
 *    `store.ts` keeps a snapshot and `cells.ts`/`cellArchive*.ts` move closed
 *    days out of memory);
 * 2. `compute/`: each report as a pure function of the aggregates
 *    (`statistics.ts`, `compliance.ts`, `annual.ts`; `intervals.ts` is their
 *    time arithmetic);
 * 3. `export/`: the files staff download (CSV, the annual report's HTML and
 *    DOCX, the ledger export).
 *
 * This file is the folder's entry point: the rest of the controller imports
 * from here, never from a file inside it.
 */
export { type ObservedLedger, observeLedger } from './projection/tap.js';
export { type AggregateStore, createAggregateStore } from './projection/store.js';
export { APPLICATION_SAVED, CASE_SAVED, DRAFT_SAVED, MANUAL_TYPE } from './projection/aggregates.js';
export type { Coverage } from './projection/coverage.js';

export {
  type CellReportInputs,
  type NoticeMeta,
  type ReportInputs,
  channelLabel,
  disclosureStats,
  periodRange,
  satisfaction,
  timeliness,
  villageChecks,
} from './compute/statistics.js';
export { type TargetDevice, complianceRows } from './compute/compliance.js';
export { buildAnnualReport } from './compute/annual.js';
export { dailyOnHours } from './compute/intervals.js';

export { attachment, csvDocument } from './export/csv.js';
export { COMPLIANCE_CSV_HEADER, complianceCsvRows } from './export/complianceCsv.js';
export { ANNUAL_CSS, annualReportDocx, annualReportHtml, reportTitle } from './export/annualExport.js';
export { streamLedgerExport } from './export/ledgerExport.js';
