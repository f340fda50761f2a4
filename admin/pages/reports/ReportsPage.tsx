import { type Village, civilDateOf } from '@protocol';
import { useState } from 'preact/hooks';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
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

/** 统计报告: one tab per report; each prints cleanly (the menu and forms are left out) and exports CSV. */
export function ReportsPage({ tab, data, go, user, reports }: ReportsPageProps) {
  const { t } = useI18n();
  const r = t.ledgerReports.reports;
  const [api] = useState(() => reports ?? createReportsApi());
  const current: ReportTab = (REPORT_TABS as readonly string[]).includes(tab ?? '') ? (tab as ReportTab) : 'stats';
  const [range, setRange] = useState<Range>(() => ({ from: `${thisYear()}-01-01`, to: `${thisYear()}-12-31` }));
  const villages = data.town?.villages ?? [];

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
      {(current === 'stats' || current === 'timeliness' || current === 'satisfaction') && (
        <RangeForm
          range={{ from: range.from, to: range.to }}
          onChange={setRange}
          csv={api.links.csv(current, { from: range.from, to: range.to })}
        />
      )}
      {current === 'compliance' && (
        <RangeForm key="compliance" range={range} onChange={setRange} csv={api.links.csv('compliance', range)} villages={villages} />
      )}
      {current === 'stats' && <StatsView api={api} range={{ from: range.from, to: range.to }} />}
      {current === 'compliance' && <ComplianceView api={api} range={range} />}
      {current === 'timeliness' && (
        <TimelinessView
          api={api}
          range={{ from: range.from, to: range.to }}
          deviceName={(id) => data.devices.find((d) => d.id === id)?.name ?? id}
        />
      )}
      {current === 'satisfaction' && <SatisfactionView api={api} range={{ from: range.from, to: range.to }} villages={villages} />}
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
}: {
  range: Range;
  onChange: (r: Range) => void;
  csv: string;
  /** Offer a village filter (the compliance report). */
  villages?: readonly Village[];
}) {
  const { t } = useI18n();
  const r = t.ledgerReports.reports;
  const [draft, setDraft] = useState(range);
  return (
    <form
      class="card row no-print"
      onSubmit={(e) => {
        e.preventDefault();
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
      {villages && (
        <Field id="range-village" label={r.compliance.village}>
          {(control) => (
            <VillageSelect
              {...control}
              value={draft.villageId ?? ''}
              onChange={(id) => {
                const { villageId: _old, ...rest } = draft;
                setDraft(id ? { ...rest, villageId: id } : rest);
              }}
              villages={villages}
              emptyLabel={r.compliance.allVillages}
            />
          )}
        </Field>
      )}
      <div class="field field-button">
        <button type="submit" class="primary">
          {r.show}
        </button>
      </div>
      <div class="field field-button">
        <a class="button" href={csv} download>
          {r.csv}
        </a>
      </div>
    </form>
  );
}
