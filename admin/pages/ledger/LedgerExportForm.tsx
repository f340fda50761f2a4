import { useState } from 'preact/hooks';
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
        <div class="field">
          <label for="export-type">{l.type}</label>
          <input id="export-type" value={filter.type} placeholder="display." onInput={set('type')} />
        </div>
        <div class="field">
          <label for="export-from">{l.from}</label>
          <input id="export-from" type="date" value={filter.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="export-to">{l.to}</label>
          <input id="export-to" type="date" value={filter.to} onInput={set('to')} />
        </div>
        <div class="field">
          <label for="export-notice">{l.noticeId}</label>
          <input id="export-notice" value={filter.noticeId} onInput={set('noticeId')} />
        </div>
        <div class="field">
          <label for="export-device">{l.deviceId}</label>
          <input id="export-device" value={filter.deviceId} onInput={set('deviceId')} />
        </div>
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
