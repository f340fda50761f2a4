import { useState } from 'preact/hooks';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';

/** 导出记录: ledger records by type, dates, notice and device, as CSV or JSON Lines (the browser downloads the stream). */
export function LedgerExportForm({ api }: { api: ReportsApi }) {
  const { t } = useI18n();
  const l = t.ledgerReports.ledger;
  const [filter, setFilter] = useState({ type: '', from: '', to: '', noticeId: '', deviceId: '' });
  const set = (key: keyof typeof filter) => (e: { currentTarget: HTMLInputElement }) =>
    setFilter({ ...filter, [key]: e.currentTarget.value });
  return (
    <div class="card" role="group" aria-labelledby="export-heading">
      <h2 id="export-heading">{l.export}</h2>
      <p class="hint">{l.exportHint}</p>
      <div class="row">
        <Field id="export-type" label={l.type}>
          {(control) => <input {...control} lang="zxx" value={filter.type} placeholder="display." onInput={set('type')} />}
        </Field>
        <Field id="export-from" label={l.from}>
          {(control) => <input {...control} type="date" value={filter.from} onInput={set('from')} />}
        </Field>
        <Field id="export-to" label={l.to}>
          {(control) => <input {...control} type="date" value={filter.to} onInput={set('to')} />}
        </Field>
        <Field id="export-notice" label={l.noticeId}>
          {(control) => <input {...control} value={filter.noticeId} onInput={set('noticeId')} />}
        </Field>
        <Field id="export-device" label={l.deviceId}>
          {(control) => <input {...control} value={filter.deviceId} onInput={set('deviceId')} />}
        </Field>
      </div>
      <p class="actions">
        <a class="button" href={api.links.ledgerExport('csv', filter)} download>
          {l.exportCsv}
        </a>{' '}
        <a class="button" href={api.links.ledgerExport('jsonl', filter)} download>
          {l.exportJsonl}
        </a>
      </p>
    </div>
  );
}
