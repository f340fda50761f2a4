import {
  type Ack,
  CHANNEL_LABELS,
  type Channel,
  type CountRow,
  type DisclosureStats,
  type Failure,
  KEY_AREAS,
  type KeyArea,
  type Satisfaction,
  type TimelinessRow,
  type Village,
  categoryLabel,
  keyAreaLabel,
} from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import type { Range, ReportsApi } from '../../lib/reportsApi';

/** Loads `fetcher()` whenever `key` changes; the failure, if any, is shown by the caller. */
export function useReport<T>(fetcher: () => Promise<Ack<T>>, key: string): { value: T | null; failure: Failure | null } {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  useEffect(() => {
    let live = true;
    void fetcher().then((ack) => {
      if (!live) return;
      if (ack.ok) {
        setValue(ack.data);
        setFailure(null);
      } else setFailure(ack);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return { value, failure };
}

/** The controller's report rows carry Chinese labels (for the printed report); the screen names each by its key in the reader's language. */
export type RowLabel = (row: CountRow) => string;

function CountTable({ caption, rows, label }: { caption: string; rows: readonly CountRow[]; label: RowLabel }) {
  const { t } = useI18n();
  return (
    <table class="report-table">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{label(row)}</th>
            <td class="num">{row.count}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={2}>{t.common.none}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** `town` (全镇) in the reader's language; a village by its own name. */
export const villageLabel =
  (townWide: string): RowLabel =>
  (row) =>
    row.key === 'town' ? townWide : row.label;

export function StatsView({ api, range }: { api: ReportsApi; range: Range }) {
  const { t, locale } = useI18n();
  const r = t.ledgerReports.reports;
  const channel: RowLabel = (row) => (row.key === 'none' ? r.unshown : (CHANNEL_LABELS[row.key as Channel]?.[locale] ?? row.label));
  const category: RowLabel = (row) => categoryLabel(row.key, locale);
  const keyArea: RowLabel = (row) =>
    (KEY_AREAS as readonly string[]).includes(row.key) ? keyAreaLabel(row.key as KeyArea, locale) : row.label;
  const asIs: RowLabel = (row) => row.label;
  const { value, failure } = useReport<DisclosureStats>(() => api.stats(range), JSON.stringify(range));
  if (failure) return <FailureMessage failure={failure} />;
  if (!value) return <p class="loading">{t.common.loading}</p>;
  return (
    <div class="report">
      <p class="report-total">
        <strong>{r.total(value.total)}</strong>（{value.from} – {value.to}）
      </p>
      <p>{r.review(value.reviewed, value.rejected, value.corrected, value.withdrawn)}</p>
      <div class="report-grid">
        <CountTable caption={r.byChannel} rows={value.byChannel} label={channel} />
        <CountTable caption={r.byCategory} rows={value.byCategory} label={category} />
        <CountTable caption={r.byKeyArea} rows={value.byKeyArea} label={keyArea} />
        <CountTable caption={r.byVillage} rows={value.byVillage} label={villageLabel(t.notices.townWide)} />
        <CountTable caption={r.byMonth} rows={value.byMonth} label={asIs} />
      </div>
    </div>
  );
}

export function TimelinessView({ api, range, deviceName }: { api: ReportsApi; range: Range; deviceName: (deviceId: string) => string }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.timeliness;
  const { value, failure } = useReport<TimelinessRow[]>(() => api.timeliness(range), JSON.stringify(range));
  if (failure) return <FailureMessage failure={failure} />;
  if (!value) return <p class="loading">{t.common.loading}</p>;
  if (value.length === 0) return <p class="empty">{t.common.none}</p>;
  const days = (n: number | null): string => (n === null ? '—' : String(n));
  return (
    <div class="table-wrap">
      <table class="report-table">
        <thead>
          <tr>
            <th scope="col">{c.notice}</th>
            <th scope="col">{c.formedOn}</th>
            <th scope="col">{c.deadline}</th>
            <th scope="col">{c.approvedOn}</th>
            <th scope="col">{c.toApproval}</th>
            <th scope="col">{c.firstShown}</th>
            <th scope="col">{c.toDisplay}</th>
            <th scope="col">{c.late}</th>
            <th scope="col">{c.devices}</th>
          </tr>
        </thead>
        <tbody>
          {value.map((row) => (
            <tr key={row.noticeId} class={row.late ? 'late' : undefined}>
              <td>{row.title}</td>
              <td class="nowrap">{row.formedOn}</td>
              <td class="nowrap">{row.deadline}</td>
              <td class="nowrap">{row.approvedOn ?? '—'}</td>
              <td class="num">{days(row.workingDaysToApproval)}</td>
              <td class="nowrap">{row.firstShownOn ?? c.never}</td>
              <td class="num">{days(row.workingDaysToFirstDisplay)}</td>
              <td>{row.late ? <strong class="warn-text">{t.common.yes}</strong> : t.common.no}</td>
              <td>
                {row.devices.map((d) => (
                  <span key={d.deviceId} class={d.late ? 'device-day warn-text' : 'device-day'}>
                    {deviceName(d.deviceId)}: {d.firstShownOn ?? c.never}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SatisfactionView({ api, range, villages }: { api: ReportsApi; range: Range; villages: readonly Village[] }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.satisfaction;
  const { value, failure } = useReport<Satisfaction>(() => api.satisfaction(range), JSON.stringify(range));
  if (failure) return <FailureMessage failure={failure} />;
  if (!value) return <p class="loading">{t.common.loading}</p>;
  const table = (caption: string, rows: Satisfaction['byNotice'], name: (key: string, label: string) => string) => (
    <table class="report-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {c.levels.map((l) => (
            <th key={l} scope="col">
              {l}
            </th>
          ))}
          <th scope="col">{c.total}</th>
          <th scope="col">{c.average}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{name(row.key, row.label)}</th>
            {row.counts.map((n, i) => (
              <td key={i} class="num">
                {n}
              </td>
            ))}
            <td class="num">{row.total}</td>
            <td class="num">{row.average ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div class="report">
      {table(c.byNotice, value.byNotice, (_k, label) => label)}
      {table(c.byVillage, value.byVillage, (key, label) => villages.find((v) => v.id === key)?.name ?? label)}
      <h2>{c.comments}</h2>
      {value.comments.length === 0 ? (
        <p class="empty">{t.common.none}</p>
      ) : (
        <ul class="comments">
          {value.comments.map((m) => (
            <li key={`${m.at}-${m.noticeId}`}>
              <span class="nowrap">{formatDateTime(m.at)}</span> · {m.title} · {c.rating} {m.rating}：{m.comment}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
