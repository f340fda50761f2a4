import type { DisplayRecord, Village } from '@protocol';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { formatDateTime, formatInterval } from '../../lib/format';

export interface RecordsTableProps {
  records: readonly DisplayRecord[];
  devices: readonly DeviceView[];
  villages: readonly Village[];
  /** Notice titles by id. */
  titles: ReadonlyMap<string, string>;
}

/** 展示记录: which notice version was shown where and when, newest first. */
export function RecordsTable({ records, devices, villages, titles }: RecordsTableProps) {
  const { t } = useI18n();
  if (records.length === 0) return <p class="empty">{t.records.empty}</p>;
  const cols = t.records.columns;
  return (
    <div class="table-wrap">
      <table class="records">
        <thead>
          <tr>
            <th scope="col">{cols.time}</th>
            <th scope="col">{cols.device}</th>
            <th scope="col">{cols.village}</th>
            <th scope="col">{cols.notice}</th>
            <th scope="col">{cols.shown}</th>
            <th scope="col">{cols.clock}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.receiptId} data-receipt-id={r.receiptId} data-seq={r.seq}>
              <td class="nowrap">{formatDateTime(r.recordedAt)}</td>
              <td>{devices.find((d) => d.id === r.deviceId)?.name ?? r.deviceId}</td>
              <td class="nowrap">{villages.find((v) => v.id === r.villageId)?.name ?? r.villageId}</td>
              <td>
                {titles.get(r.noticeId) ?? r.noticeId}
                <span class="hash" title={r.contentHash}>
                  {r.contentHash.slice(0, 8)}
                </span>
              </td>
              <td class="nowrap">
                {formatInterval(r.startedAt, r.endedAt)}
                {r.showings !== undefined && (
                  <div class="muted" data-showings={r.showings}>
                    {t.records.showings(r.showings, Math.round((r.shownMs ?? 0) / 6_000) / 10)}
                  </div>
                )}
              </td>
              <td>{r.clockTrusted ? t.common.yes : <span class="warn-text">{t.common.no}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
