import type { ComplianceDevice, ComplianceReport, ComplianceRow } from '@protocol';
import { FailureMessage } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import type { Range, ReportsApi } from '../../lib/reportsApi';
import { useReport } from './StatisticsViews';

const hours = (ms: number): string => (Math.round((ms / 3_600_000) * 10) / 10).toFixed(1);
const minutes = (ms: number): number => Math.round(ms / 60_000);

/** 公示期合规: one block per notice with its window, verdict and reasons, then each targeted device and its gaps. */
export function ComplianceView({ api, range }: { api: ReportsApi; range: Range }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.compliance;
  const { value, failure } = useReport<ComplianceReport>(() => api.compliance(range), JSON.stringify(range));
  if (failure) return <FailureMessage failure={failure} />;
  if (!value) return <p class="loading">{t.common.loading}</p>;
  const bad = value.rows.filter((r) => !r.compliant).length;
  return (
    <div class="report compliance">
      <p class="report-total">
        <strong>{c.summary(value.rows.length, bad)}</strong>（{value.from} – {value.to}）
      </p>
      <p class="report-note">{c.rule}</p>
      {value.rows.length === 0 && <p class="empty">{t.common.none}</p>}
      {value.rows.map((row) => (
        <NoticeBlock key={row.noticeId} row={row} />
      ))}
    </div>
  );
}

function NoticeBlock({ row }: { row: ComplianceRow }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.compliance;
  const headingId = `compliance-${row.noticeId}`;
  return (
    <section class={row.compliant ? 'compliance-notice' : 'compliance-notice failing'} aria-labelledby={headingId}>
      <h2 id={headingId}>{row.title}</h2>
      <dl class="facts">
        <dt>{c.window}</dt>
        <dd>
          {formatDateTime(row.plannedFrom)} – {row.plannedTo === null ? c.longTerm : formatDateTime(row.plannedTo)}
          {row.running && `（${c.running}）`}
        </dd>
        <dt>{c.checkedTo}</dt>
        <dd>{formatDateTime(row.to)}</dd>
        <dt>{c.versions}</dt>
        <dd>
          {row.segments.map((s) => (
            <span key={s.versionId} class="device-day">
              v{s.number}: {formatDateTime(s.from)} – {formatDateTime(s.to)}（{c.ends[s.end]}）
            </span>
          ))}
        </dd>
        <dt>{c.verdict}</dt>
        <dd>{row.compliant ? <strong class="ok-text">{c.compliant}</strong> : <strong class="warn-text">{c.noncompliant}</strong>}</dd>
        {row.reasons.length > 0 && (
          <>
            <dt>{c.reasons}</dt>
            <dd>
              <ul class="reasons">
                {row.reasons.map((r) => (
                  <li key={r.code}>
                    {c.causes[r.code]}
                    {r.devices > 0 && `：${c.devices(r.devices)}，${c.minutes(minutes(r.ms))}`}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {row.cuts.length > 0 && (
          <>
            <dt>{c.cuts}</dt>
            <dd>
              {row.cuts.map((cut) => (
                <span key={cut.cause} class="device-day">
                  {formatDateTime(cut.from)} – {formatDateTime(cut.to)}：{c.causes[cut.cause]}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {row.devices.length > 0 && <DeviceTable devices={row.devices} caption={`${row.title} · ${c.device}`} />}
    </section>
  );
}

function DeviceTable({ devices, caption }: { devices: readonly ComplianceDevice[]; caption: string }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.compliance;
  return (
    <div class="table-wrap">
      <table class="report-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.device}</th>
            <th scope="col">{c.village}</th>
            <th scope="col">{c.required}</th>
            <th scope="col">{c.shown}</th>
            <th scope="col">{c.offHours}</th>
            <th scope="col">{c.gaps}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId} class={d.gaps.length > 0 ? 'late' : undefined}>
              <th scope="row">
                {d.name}（{c.kind[d.kind]}）
              </th>
              <td>{d.village}</td>
              <td class="num">{hours(d.requiredMs)}</td>
              <td class="num">{hours(d.shownMs)}</td>
              <td class="num">{hours(d.offHoursMs)}</td>
              <td>
                {d.gaps.length === 0
                  ? c.noGaps
                  : d.gaps.map((g) => (
                      <span key={g.from} class="device-day">
                        {formatDateTime(g.from)} – {formatDateTime(g.to)}（{c.minutes(minutes(g.ms))}）：{c.causes[g.cause]} · v
                        {g.versionNumber}
                      </span>
                    ))}
                {d.node && d.node.offlineMs > 0 && (
                  <span class="device-day" data-node-offline={d.node.id}>
                    {c.nodeOffline(minutes(d.node.offlineMs), minutes(d.node.shownWhileOfflineMs))}
                  </span>
                )}
                {d.untrusted.map((u) => (
                  <span key={u.reason} class="device-day" data-untrusted={u.reason}>
                    {c.untrusted(u.receipts)}：{c.untrustedReasons[u.reason]}
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
