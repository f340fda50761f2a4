import { PERIODS, type Period, type VillageChecks, civilDateOf } from '@protocol';
import { useState } from 'preact/hooks';
import { FailureMessage } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';
import { useReport } from './StatisticsViews';

const defaultKey = (period: Period): string => {
  const today = civilDateOf(Date.now());
  if (period === 'month') return today.slice(0, 7);
  if (period === 'quarter') return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
  return today.slice(0, 4);
};

/** 月检查 / 季通报 / 年考核: per village, for a month, quarter or year. */
export function ChecksView({ api }: { api: ReportsApi }) {
  const { t } = useI18n();
  const c = t.ledgerReports.reports.checks;
  const [period, setPeriod] = useState<Period>('month');
  const [key, setKey] = useState(defaultKey('month'));
  const [shown, setShown] = useState({ period, key });
  const { value, failure } = useReport<VillageChecks>(() => api.checks(shown.period, shown.key), `${shown.period}:${shown.key}`);
  return (
    <div class="report">
      <form
        class="card row no-print"
        onSubmit={(e) => {
          e.preventDefault();
          setShown({ period, key });
        }}
      >
        <Field id="checks-period" label={c.period}>
          {(control) => (
            <select
              {...control}
              value={period}
              onChange={(e) => {
                const next = e.currentTarget.value as Period;
                setPeriod(next);
                setKey(defaultKey(next));
              }}
            >
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {c[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="checks-key" label={c.key}>
          {(control) => <input {...control} value={key} onInput={(e) => setKey(e.currentTarget.value)} />}
        </Field>
        <div class="field field-button">
          <button type="submit" class="primary">
            {t.ledgerReports.reports.show}
          </button>
        </div>
        <div class="field field-button">
          <a class="button" href={api.links.checksCsv(shown.period, shown.key)} download>
            {t.ledgerReports.reports.csv}
          </a>
        </div>
      </form>
      <FailureMessage failure={failure} />
      {value && (
        <div class="table-wrap">
          <table class="report-table">
            <caption>
              {c[value.period]} {value.key}（{value.from} – {value.to}）
            </caption>
            <thead>
              <tr>
                <th scope="col">{c.village}</th>
                <th scope="col">{c.published}</th>
                <th scope="col">{c.manual}</th>
                <th scope="col">{c.late}</th>
                <th scope="col">{c.showings}</th>
                <th scope="col">{c.hours}</th>
                <th scope="col">{c.interactions}</th>
                <th scope="col">{c.ratings}</th>
                <th scope="col">{c.average}</th>
                <th scope="col">{c.devices}</th>
              </tr>
            </thead>
            <tbody>
              {value.rows.map((row) => (
                <tr key={row.villageId}>
                  <th scope="row">{row.villageId === 'town' ? t.notices.townWide : row.village}</th>
                  <td class="num">{row.published}</td>
                  <td class="num">{row.manual}</td>
                  <td class="num">{row.late > 0 ? <strong class="warn-text">{row.late}</strong> : 0}</td>
                  <td class="num">{row.showings}</td>
                  <td class="num">{row.hoursShown}</td>
                  <td class="num">{row.interactions}</td>
                  <td class="num">{row.ratings}</td>
                  <td class="num">{row.averageRating ?? '—'}</td>
                  <td class="num">{row.devices}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
