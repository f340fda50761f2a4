import { type Village, civilDateOf } from '@protocol';
import { useState } from 'preact/hooks';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { ownVillages, villageScope } from '../../lib/permissions';
import { useScopeChange } from '../../lib/useScopeChange';
import { type Range, type ReportsApi, createReportsApi } from '../../lib/reportsApi';
import type { PageProps } from '../types';
import { AnnualView } from './AnnualView';
import { ChecksView } from './ChecksView';
import { ComplianceView } from './ComplianceView';
import { RegistersView } from './RegistersView';
import { SatisfactionView, StatsView, TimelinessView } from './StatisticsViews';
import { VillageSelect } from '../../components/VillageSelect';

export const REPORT_TABS = ['stats', 'compliance', 'timeliness', 'checks', 'satisfaction', 'registers', 'annual'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];

export interface ReportsPageProps extends Pick<PageProps<'town' | 'devices'>, 'data' | 'go' | 'user'> {
  tab: string | null;
  reports?: ReportsApi;
}

const thisYear = (): string => civilDateOf(Date.now()).slice(0, 4);

/** The period and village a range report starts with: this year, and a user's one village when they have just one. */
function firstRange(scope: readonly string[] | null): Range {
  const own = scope?.length === 1 ? scope[0] : undefined;
  return { from: `${thisYear()}-01-01`, to: `${thisYear()}-12-31`, ...(own !== undefined && { villageId: own }) };
}

/**
 * 统计报告: one tab per report; each prints cleanly (the menu and forms are left out) and exports CSV.
 *
 * The period reports (statistics, compliance, timeliness, satisfaction) may be limited to a village. Town-wide
 * staff start with all villages; an editor limited to villages is offered only theirs — one is chosen for them,
 * among several they choose first (the controller answers one village's figures at a time).
 */
export function ReportsPage({ tab, data, go, user, reports }: ReportsPageProps) {
  const { t } = useI18n();
  const r = t.ledgerReports.reports;
  const [api] = useState(() => reports ?? createReportsApi());
  const current: ReportTab = (REPORT_TABS as readonly string[]).includes(tab ?? '') ? (tab as ReportTab) : 'stats';
  const scope = villageScope(user);
  const [range, setRange] = useState<Range>(() => firstRange(scope));
  const villages = data.town?.villages ?? [];
  const offered = ownVillages(user, villages);
  /** Limited to several villages and none chosen yet: the reports wait for the choice. */
  const choose = scope !== null && (range.villageId === undefined || !scope.includes(range.villageId));
  // An admin changed the user's villages while the page was open: a village no longer theirs is not kept.
  useScopeChange(scope, () => {
    if (range.villageId !== undefined && scope !== null && scope.includes(range.villageId)) return;
    const { villageId: _old, ...period } = range;
    const own = firstRange(scope).villageId;
    setRange(own === undefined ? period : { ...period, villageId: own });
  });
  const ranged = current === 'stats' || current === 'compliance' || current === 'timeliness' || current === 'satisfaction';

  return (
    <section aria-labelledby="reports-heading" class="reports-page">
      <div class="section-head">
        <h1 id="reports-heading">{r.heading}</h1>
        <button type="button" class="no-print" onClick={() => window.print()}>
          {r.print}
        </button>
      </div>
      <nav class="tabs no-print" aria-label={r.heading}>
        {REPORT_TABS.map((name) => (
          <a
            key={name}
            href={`#reports/${name}`}
            class={name === current ? 'tab active' : 'tab'}
            aria-current={name === current ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go({ page: 'reports', tab: name });
            }}
          >
            {r.tabs[name]}
          </a>
        ))}
      </nav>
      {ranged && (
        <RangeForm
          key={`${current} ${scope === null ? '*' : scope.join(',')} ${range.villageId ?? ''}`}
          range={range}
          onChange={setRange}
          csv={choose ? null : api.links.csv(current, range)}
          villages={offered}
          emptyLabel={scope === null ? r.compliance.allVillages : r.chooseVillage}
          chooseHint={scope !== null && scope.length > 1 ? r.chooseVillageHint : null}
        />
      )}
      {ranged && choose ? null : (
        <>
          {current === 'stats' && <StatsView api={api} range={range} />}
          {current === 'compliance' && <ComplianceView api={api} range={range} />}
          {current === 'timeliness' && (
            <TimelinessView api={api} range={range} deviceName={(id) => data.devices.find((d) => d.id === id)?.name ?? id} />
          )}
          {current === 'satisfaction' && <SatisfactionView api={api} range={range} villages={villages} />}
        </>
      )}
      {current === 'checks' && <ChecksView api={api} />}
      {current === 'registers' && <RegistersView api={api} villages={villages} />}
      {current === 'annual' && <AnnualView api={api} villages={villages} user={user} />}
    </section>
  );
}

function RangeForm({
  range,
  onChange,
  csv,
  villages,
  emptyLabel,
  chooseHint,
}: {
  range: Range;
  onChange: (r: Range) => void;
  /** The CSV download, or null while there is nothing to download (no village chosen yet). */
  csv: string | null;
  /** The villages offered: the town's, or the user's own. */
  villages: readonly Village[];
  /** The first option: all villages, or (for a user limited to several) the prompt to choose one. */
  emptyLabel: string;
  /** Said under the choice while a user limited to several villages has not chosen one. */
  chooseHint: string | null;
}) {
  const { t } = useI18n();
  const r = t.ledgerReports.reports;
  const [draft, setDraft] = useState(range);
  /** Shown for the period while no village is chosen by a user who must choose: said beside the choice. */
  const [mustChoose, setMustChoose] = useState(false);
  return (
    <form
      class="card row no-print"
      onSubmit={(e) => {
        e.preventDefault();
        if (chooseHint !== null && draft.villageId === undefined) return setMustChoose(true);
        onChange(draft);
      }}
    >
      <Field id="range-from" label={r.from}>
        {(control) => (
          <input {...control} type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        )}
      </Field>
      <Field id="range-to" label={r.to}>
        {(control) => (
          <input {...control} type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        )}
      </Field>
      {villages.length > 0 && (
        <Field
          id="range-village"
          label={r.compliance.village}
          error={mustChoose ? r.chooseVillageError : null}
          hint={chooseHint !== null && draft.villageId === undefined ? chooseHint : undefined}
        >
          {(control) => (
            <VillageSelect
              {...control}
              value={draft.villageId ?? ''}
              onChange={(id) => {
                const { villageId: _old, ...rest } = draft;
                setDraft(id ? { ...rest, villageId: id } : rest);
                setMustChoose(false);
              }}
              villages={villages}
              emptyLabel={emptyLabel}
            />
          )}
        </Field>
      )}
      <div class="field field-button">
        <button type="submit" class="primary">
          {r.show}
        </button>
      </div>
      {csv !== null && (
        <div class="field field-button">
          <a class="button" href={csv} download>
            {r.csv}
          </a>
        </div>
      )}
    </form>
  );
}
