import { CASE_KINDS, CASE_RESULTS, type CaseRequest, type Failure, type LitigationCase, type Village } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';
import { RegisterVillage, villageLabel } from './RegisterVillage';

const EMPTY_CASE: CaseRequest = {
  kind: 'reconsideration',
  filedOn: '',
  result: 'pending',
  concludedOn: null,
  summary: '',
  villageId: null,
};

/** 行政复议、行政诉讼登记: the register of reconsiderations and lawsuits (the source of table T4), with its form. */
export function CasesRegister({ api, onSaved, villages = [] }: { api: ReportsApi; onSaved: () => void; villages?: readonly Village[] }) {
  const { t } = useI18n();
  const g = t.ledgerReports.registers;
  const [cases, setCases] = useState<LitigationCase[]>([]);
  const [kase, setKase] = useState<{ id: string | null; body: CaseRequest }>({ id: null, body: EMPTY_CASE });
  const [failure, setFailure] = useState<Failure | null>(null);

  const load = async (): Promise<void> => {
    const ack = await api.cases();
    if (ack.ok) setCases(ack.data);
  };
  useEffect(() => void load(), [api]);

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const ack = await api.saveCase(kase.id, kase.body);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setKase({ id: null, body: EMPTY_CASE });
    onSaved();
    await load();
  };

  const error = (f: string) => fieldErrorFor(failure, f);
  const set = (patch: Partial<CaseRequest>) => setKase({ ...kase, body: { ...kase.body, ...patch } });
  return (
    <form class="card" onSubmit={(e) => void save(e)} noValidate aria-labelledby="cases-heading">
      <h2 id="cases-heading">{g.cases}</h2>
      <div class="row">
        <Field id="case-kind" label={g.kind}>
          {(control) => (
            <select {...control} value={kase.body.kind} onChange={(e) => set({ kind: e.currentTarget.value as CaseRequest['kind'] })}>
              {CASE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {g.kinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="case-filed" label={g.filedOn} error={error('filedOn')}>
          {(control) => (
            <input {...control} type="date" value={kase.body.filedOn} onInput={(e) => set({ filedOn: e.currentTarget.value })} />
          )}
        </Field>
        <Field id="case-result" label={g.result}>
          {(control) => (
            <select {...control} value={kase.body.result} onChange={(e) => set({ result: e.currentTarget.value as CaseRequest['result'] })}>
              {CASE_RESULTS.map((r) => (
                <option key={r} value={r}>
                  {g.results[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="case-concluded" label={g.concludedOn} error={error('concludedOn')}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={kase.body.concludedOn ?? ''}
              onInput={(e) => set({ concludedOn: e.currentTarget.value || null })}
            />
          )}
        </Field>
        <RegisterVillage
          id="case-village"
          value={kase.body.villageId ?? null}
          villages={villages}
          error={error('villageId')}
          onChange={(villageId) => set({ villageId })}
        />
        <Field id="case-summary" label={g.summary} error={error('summary')} class="wide">
          {(control) => <input {...control} value={kase.body.summary} onInput={(e) => set({ summary: e.currentTarget.value })} />}
        </Field>
        <div class="field field-button">
          <button type="submit" class="primary">
            {kase.id ? g.save : g.addCase}
          </button>
        </div>
      </div>
      <FailureMessage failure={failure} />
      {cases.length === 0 ? (
        <p class="empty">{g.empty}</p>
      ) : (
        <ul class="register-list">
          {cases.map((c) => (
            <li key={c.id}>
              {c.filedOn} · {villageLabel(c.villageId, villages, g.wholeTown)} · {g.kinds[c.kind]} · {c.summary} · {g.results[c.result]}{' '}
              <button type="button" onClick={() => setKase({ id: c.id, body: { ...c } })}>
                {g.edit}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
