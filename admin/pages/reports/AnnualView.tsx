import {
  type AnnualReport,
  type Failure,
  REPORT_VERSIONS,
  type ReportTable,
  type ReportVersion,
  type StaffUser,
  type Village,
  civilDateOf,
  reportVersionFor,
} from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, Flash, fieldErrorFor, markChinese } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { ownVillages, villageScope } from '../../lib/permissions';
import { useScopeChange } from '../../lib/useScopeChange';
import type { ReportsApi } from '../../lib/reportsApi';
import { VillageSelect } from '../../components/VillageSelect';

/**
 * A check of the annual report, written `中文 (English)` by the controller: the
 * reader's half, and in English the report's own section numbers (五, 六)
 * marked as the Chinese they are.
 */
function problemText(message: string, locale: 'zh' | 'en') {
  const half = problemHalf(message, locale);
  if (locale === 'zh' || half === message) return half;
  return markChinese(half);
}

/** The reader's half of a `中文 (English)` message, as plain text (under a form field). */
function problemHalf(message: string, locale: 'zh' | 'en'): string {
  const bilingual = /^(.*\S)\s*\(([^()]*)\)$/su.exec(message);
  if (!bilingual) return message;
  return (locale === 'zh' ? bilingual[1] : bilingual[2]) ?? message;
}

/**
 * 年度报告: choose year and format; section 一 and T3/T4 come from the ledger and registers, T2 cells and sections
 * 五/六 from staff. A village's figures (chosen, or all an editor limited to a village gets) are shown read-only,
 * titled and noted as that village's, never as the town's report.
 *
 * Town-wide staff start with the town's report and may choose any village's extract. An editor limited to villages
 * is offered only theirs: with one, it is chosen and shown at once; with several, they choose one first.
 */
export function AnnualView({ api, villages = [], user }: { api: ReportsApi; villages?: readonly Village[]; user: StaffUser }) {
  const { t, locale } = useI18n();
  const a = t.ledgerReports.annual;
  const r = t.ledgerReports.reports;
  // The year under way: its report fills as the town publishes (the previous year's was all zeros for a new town).
  const [year, setYear] = useState(() => Number(civilDateOf(Date.now()).slice(0, 4)));
  // The year's own format (〔2019〕60号 for 2019–2020, 〔2021〕30号 after); staff may look at the other, which the controller will not export.
  const [version, setVersion] = useState<ReportVersion>(() => reportVersionFor(Number(civilDateOf(Date.now()).slice(0, 4))));
  const [report, setReport] = useState<AnnualReport | null>(null);
  const scope = villageScope(user);
  const offered = ownVillages(user, villages);
  /** What a limited user starts with (and falls back to when their villages change): their one village, or none yet. */
  const ownChoice = scope?.length === 1 ? (scope[0] ?? '') : '';
  const [villageId, setVillageId] = useState(ownChoice);
  /** Asked to generate with no village chosen while limited to several: said under the choice, nothing sent. */
  const [mustChoose, setMustChoose] = useState(false);
  const [cells, setCells] = useState<Record<string, string>>({});
  const [texts, setTexts] = useState({ overview: '', problems: '', other: '' });
  const [failure, setFailure] = useState<Failure | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  const show = (r: AnnualReport): void => {
    setReport(r);
    const manual: Record<string, string> = {};
    for (const table of r.t2) for (const row of table.rows) for (const c of row.cells) if (c.manual) manual[c.id] = String(c.value ?? 0);
    setCells(manual);
  };
  const load = async (chosen = villageId): Promise<void> => {
    setFlash(null);
    if (scope !== null && chosen === '') {
      setFailure(null);
      setMustChoose(true);
      return;
    }
    setMustChoose(false);
    const ack = await api.annual(year, version, chosen || undefined);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    show(ack.data);
    setTexts({ overview: ack.data.staffOverview, problems: ack.data.problems, other: ack.data.other });
  };
  // Shown at once unless the user must choose among several villages first.
  useEffect(() => {
    if (scope === null || ownChoice !== '') void load();
  }, [api]);
  // An admin changed the user's villages while the page was open: a choice no longer theirs, and its figures, go.
  useScopeChange(scope, () => {
    if (villageId === '' ? scope === null : offered.some((v) => v.id === villageId)) return;
    setVillageId(ownChoice);
    setReport(null);
    setFailure(null);
    if (ownChoice !== '' || scope === null) void load(ownChoice);
  });

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const body = { cells: Object.fromEntries(Object.entries(cells).map(([id, v]) => [id, Number(v)])), ...texts };
    const ack = await api.saveAnnual(year, version, body);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    show(ack.data);
    setFlash(a.saved);
  };

  const problemFor = (id: string): string | undefined =>
    report?.invalid.find((p) => p.cell === id)?.message ?? failure?.fields?.[`cells.${id}`];
  /** One of the town's own texts (一's overview, 五, 六): its box, with what the controller says of it under it. */
  const textField = (name: keyof typeof texts, label: string, rows: number) => {
    const problem = report?.invalid.find((p) => p.cell === name)?.message ?? failure?.fields?.[name];
    return (
      <Field id={`annual-${name}`} label={label} class="wide" error={problem === undefined ? null : problemHalf(problem, locale)}>
        {(control) => (
          <textarea {...control} rows={rows} value={texts[name]} onInput={(e) => setTexts({ ...texts, [name]: e.currentTarget.value })} />
        )}
      </Field>
    );
  };
  /** A table; one that is a whole section (三, 四) is named by its section heading rather than a caption repeating it. */
  const table = (tb: ReportTable, editable: boolean, headingId?: string) => (
    <table class="report-table annual-table" lang="zh-CN" key={tb.caption} aria-labelledby={headingId}>
      {headingId === undefined && <caption>{tb.caption}</caption>}
      <thead>
        <tr>
          {tb.cols.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {tb.rows.map((row) => (
          <tr key={row.id}>
            <th scope="row" class={`indent-${row.indent}`} colSpan={row.heading ? tb.cols.length : 1}>
              {row.label}
            </th>
            {row.cells.map((c) => {
              const problem = problemFor(c.id);
              return (
                <td key={c.id} class={problem ? 'num invalid' : 'num'} data-cell={c.id}>
                  {editable && c.manual ? (
                    <>
                      <input
                        class="cell-input"
                        inputMode="decimal"
                        aria-label={`${tb.caption} ${row.label} ${tb.cols[row.cells.indexOf(c) + 1] ?? ''}（${a.manualCell}）`}
                        value={cells[c.id] ?? ''}
                        aria-invalid={problem !== undefined}
                        aria-describedby={problem ? `${c.id}-error` : undefined}
                        onInput={(e) => setCells({ ...cells, [c.id]: e.currentTarget.value })}
                      />
                      {problem && (
                        <span class="field-error" id={`${c.id}-error`}>
                          {problem}
                        </span>
                      )}
                    </>
                  ) : (
                    <>
                      {c.value ?? ''}
                      {problem && <span class="field-error">{problem}</span>}
                    </>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <form class="annual" onSubmit={(e) => void save(e)} noValidate>
      <div class="card row no-print">
        <Field id="annual-year" label={a.year} error={fieldErrorFor(failure, 'year')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={2008}
              max={2100}
              value={year}
              onInput={(e) => {
                const y = Number(e.currentTarget.value);
                setYear(y);
                if (Number.isInteger(y)) setVersion(reportVersionFor(y));
              }}
            />
          )}
        </Field>
        <Field id="annual-version" label={a.version} class="wide" error={fieldErrorFor(failure, 'version')}>
          {(control) => (
            <select {...control} value={version} onChange={(e) => setVersion(e.currentTarget.value as ReportVersion)}>
              {REPORT_VERSIONS.map((v) => (
                <option key={v} value={v}>
                  {a.versions[v]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {offered.length > 0 && (
          <Field
            id="annual-village"
            label={a.village}
            error={mustChoose ? r.chooseVillageError : fieldErrorFor(failure, 'villageId')}
            hint={scope !== null && scope.length > 1 ? r.chooseVillageHint : undefined}
          >
            {(control) => (
              <VillageSelect
                {...control}
                value={villageId}
                onChange={(id) => {
                  setVillageId(id);
                  setMustChoose(false);
                }}
                villages={offered}
                emptyLabel={scope === null ? a.townReport : r.chooseVillage}
                optionLabel={(v) => a.villageFigures(v.name)}
              />
            )}
          </Field>
        )}
        <div class="field field-button">
          <button type="button" onClick={() => void load()}>
            {a.load}
          </button>
        </div>
      </div>
      <FailureMessage failure={failure} />
      {report?.village && (
        <>
          <h2 lang="zh-CN">
            {report.town}
            {report.village.name}
            {report.year}年政府信息公开工作数据（村级摘录）
          </h2>
          <p class="hint" role="note">
            {a.villageNote(report.village.name)}
          </p>
        </>
      )}
      {report && (
        <>
          {report.prefilledFromYear !== null && <p class="hint">{a.prefilled(report.prefilledFromYear)}</p>}
          {report.invalid.length > 0 ? (
            <div class="form-error" role="alert">
              <strong>{a.invalid}</strong>
              <ul>
                {report.invalid.map((p) => (
                  <li key={p.cell}>
                    <code>{p.cell}</code> {problemText(p.message, locale)}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p class="flash ok-text" role="status">
              {a.valid}{' '}
              <a class="button" href={api.links.annualDocx(report.year, report.version, report.village?.id)} download>
                {a.docx}
              </a>{' '}
              <a class="button" href={api.links.annualHtml(report.year, report.version, report.village?.id)} target="_blank" rel="noopener">
                {a.html}
              </a>
            </p>
          )}
          <h2>{a.generated}</h2>
          {report.overview.map((p, i) => (
            <p key={i} class="report-paragraph" lang="zh-CN">
              {p}
            </p>
          ))}
          {!report.village && textField('overview', a.overview, 4)}
          <h2 lang="zh-CN">二、主动公开政府信息情况</h2>
          {report.t2.map((tb) => table(tb, !report.village))}
          <h2 id="annual-t3" lang="zh-CN">
            {report.t3.caption}
          </h2>
          {table(report.t3, false, 'annual-t3')}
          <h2 id="annual-t4" lang="zh-CN">
            {report.t4.caption}
          </h2>
          {table(report.t4, false, 'annual-t4')}
          {!report.village && (
            <>
              {textField('problems', a.problems, 6)}
              {textField('other', a.other, 4)}
              <p class="actions no-print">
                <button type="submit" class="primary">
                  {a.save}
                </button>
              </p>
            </>
          )}
          <Flash message={flash} />
        </>
      )}
    </form>
  );
}
