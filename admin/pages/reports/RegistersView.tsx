import {
  APPLICANT_TYPES,
  APPLICATION_CHANNELS,
  type ApplicationRequest,
  CASE_KINDS,
  CASE_RESULTS,
  type CaseRequest,
  type DisclosureApplication,
  type Failure,
  type LitigationCase,
  OUTCOMES,
} from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, FieldError, Flash, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';

/** The labels of T3's outcome rows, reused for the register's outcome choice. */
const OUTCOME_LABELS: Record<string, string> = {
  granted: '予以公开',
  partial: '部分公开',
  deny_state_secret: '不予公开·属于国家秘密',
  deny_law_forbidden: '不予公开·其他法律行政法规禁止公开',
  deny_three_safety_one_stability: '不予公开·危及“三安全一稳定”',
  deny_third_party: '不予公开·保护第三方合法权益',
  deny_internal_affairs: '不予公开·属于三类内部事务信息',
  deny_process_info: '不予公开·属于四类过程性信息',
  deny_enforcement_file: '不予公开·属于行政执法案卷',
  deny_admin_query: '不予公开·属于行政查询事项',
  unable_not_held: '无法提供·本机关不掌握相关政府信息',
  unable_needs_creation: '无法提供·没有现成信息需要另行制作',
  unable_unclear_after_correction: '无法提供·补正后申请内容仍不明确',
  noprocess_petition_complaint: '不予处理·信访举报投诉类申请',
  noprocess_duplicate: '不予处理·重复申请',
  noprocess_publication: '不予处理·要求提供公开出版物',
  noprocess_mass_repeated: '不予处理·无正当理由大量反复申请',
  noprocess_confirm_or_reissue: '不予处理·要求行政机关确认或重新出具已获取信息',
  other_no_correction: '其他处理·逾期不补正',
  other_fee_unpaid: '其他处理·逾期未缴纳费用',
  other_misc: '其他处理·其他',
};

const EMPTY_APP: ApplicationRequest = {
  applicantType: 'natural',
  receivedOn: '',
  channel: 'in_person',
  subject: '',
  outcome: null,
  repliedOn: null,
  feeYuan: 0,
};
const EMPTY_CASE: CaseRequest = { kind: 'reconsideration', filedOn: '', result: 'pending', concludedOn: null, summary: '' };

/** 依申请公开 and 复议/诉讼 registers: the sources of tables T3 and T4. */
export function RegistersView({ api }: { api: ReportsApi }) {
  const { t } = useI18n();
  const g = t.ledgerReports.registers;
  const [apps, setApps] = useState<DisclosureApplication[]>([]);
  const [cases, setCases] = useState<LitigationCase[]>([]);
  const [app, setApp] = useState<{ id: string | null; body: ApplicationRequest }>({ id: null, body: EMPTY_APP });
  const [kase, setKase] = useState<{ id: string | null; body: CaseRequest }>({ id: null, body: EMPTY_CASE });
  const [appFailure, setAppFailure] = useState<Failure | null>(null);
  const [caseFailure, setCaseFailure] = useState<Failure | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  const load = async (): Promise<void> => {
    const [a, c] = await Promise.all([api.applications(), api.cases()]);
    if (a.ok) setApps(a.data);
    if (c.ok) setCases(c.data);
  };
  useEffect(() => void load(), [api]);

  const saveApp = async (e: Event): Promise<void> => {
    e.preventDefault();
    const ack = await api.saveApplication(app.id, app.body);
    if (!ack.ok) return setAppFailure(ack);
    setAppFailure(null);
    setApp({ id: null, body: EMPTY_APP });
    setFlash(g.saved);
    await load();
  };
  const saveCase = async (e: Event): Promise<void> => {
    e.preventDefault();
    const ack = await api.saveCase(kase.id, kase.body);
    if (!ack.ok) return setCaseFailure(ack);
    setCaseFailure(null);
    setKase({ id: null, body: EMPTY_CASE });
    setFlash(g.saved);
    await load();
  };

  const ae = (f: string) => fieldErrorFor(appFailure, f);
  const ce = (f: string) => fieldErrorFor(caseFailure, f);
  const setA = (patch: Partial<ApplicationRequest>) => setApp({ ...app, body: { ...app.body, ...patch } });
  const setC = (patch: Partial<CaseRequest>) => setKase({ ...kase, body: { ...kase.body, ...patch } });
  return (
    <div class="registers">
      <Flash message={flash} />
      <form class="card" onSubmit={(e) => void saveApp(e)} noValidate aria-labelledby="apps-heading">
        <h2 id="apps-heading">{g.applications}</h2>
        <div class="row">
          <div class="field">
            <label for="app-type">{g.applicantType}</label>
            <select
              id="app-type"
              value={app.body.applicantType}
              onChange={(e) => setA({ applicantType: e.currentTarget.value as ApplicationRequest['applicantType'] })}
            >
              {APPLICANT_TYPES.map((a) => (
                <option key={a} value={a}>
                  {g.applicantTypes[a]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="app-received">{g.receivedOn}</label>
            <input
              id="app-received"
              type="date"
              value={app.body.receivedOn}
              onInput={(e) => setA({ receivedOn: e.currentTarget.value })}
              {...describe('app-received', ae('receivedOn'))}
            />
            <FieldError id="app-received-error" message={ae('receivedOn')} />
          </div>
          <div class="field">
            <label for="app-channel">{g.channel}</label>
            <select
              id="app-channel"
              value={app.body.channel}
              onChange={(e) => setA({ channel: e.currentTarget.value as ApplicationRequest['channel'] })}
            >
              {APPLICATION_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {g.channels[c]}
                </option>
              ))}
            </select>
          </div>
          <div class="field wide">
            <label for="app-subject">{g.subject}</label>
            <input
              id="app-subject"
              value={app.body.subject}
              onInput={(e) => setA({ subject: e.currentTarget.value })}
              {...describe('app-subject', ae('subject'))}
            />
            <FieldError id="app-subject-error" message={ae('subject')} />
          </div>
        </div>
        <div class="row">
          <div class="field wide">
            <label for="app-outcome">{g.outcome}</label>
            <select
              id="app-outcome"
              value={app.body.outcome ?? ''}
              onChange={(e) => setA({ outcome: (e.currentTarget.value || null) as ApplicationRequest['outcome'] })}
            >
              <option value="">{g.pending}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="app-replied">{g.repliedOn}</label>
            <input
              id="app-replied"
              type="date"
              value={app.body.repliedOn ?? ''}
              onInput={(e) => setA({ repliedOn: e.currentTarget.value || null })}
              {...describe('app-replied', ae('repliedOn'))}
            />
            <FieldError id="app-replied-error" message={ae('repliedOn')} />
          </div>
          <div class="field">
            <label for="app-fee">{g.feeYuan}</label>
            <input
              id="app-fee"
              type="number"
              min={0}
              value={app.body.feeYuan}
              onInput={(e) => setA({ feeYuan: Number(e.currentTarget.value) })}
              {...describe('app-fee', ae('feeYuan'))}
            />
            <FieldError id="app-fee-error" message={ae('feeYuan')} />
          </div>
          <div class="field field-button">
            <button type="submit" class="primary">
              {app.id ? g.save : g.addApplication}
            </button>
          </div>
        </div>
        <FailureMessage failure={appFailure} />
        {apps.length === 0 ? (
          <p class="empty">{g.empty}</p>
        ) : (
          <ul class="register-list">
            {apps.map((a) => (
              <li key={a.id}>
                {a.receivedOn} · {g.applicantTypes[a.applicantType]} · {a.subject} ·{' '}
                {a.outcome ? `${OUTCOME_LABELS[a.outcome]}（${a.repliedOn ?? ''}）` : g.pending}{' '}
                <button type="button" onClick={() => setApp({ id: a.id, body: { ...a } })}>
                  {g.edit}
                </button>
              </li>
            ))}
          </ul>
        )}
      </form>

      <form class="card" onSubmit={(e) => void saveCase(e)} noValidate aria-labelledby="cases-heading">
        <h2 id="cases-heading">{g.cases}</h2>
        <div class="row">
          <div class="field">
            <label for="case-kind">{g.kind}</label>
            <select id="case-kind" value={kase.body.kind} onChange={(e) => setC({ kind: e.currentTarget.value as CaseRequest['kind'] })}>
              {CASE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {g.kinds[k]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="case-filed">{g.filedOn}</label>
            <input
              id="case-filed"
              type="date"
              value={kase.body.filedOn}
              onInput={(e) => setC({ filedOn: e.currentTarget.value })}
              {...describe('case-filed', ce('filedOn'))}
            />
            <FieldError id="case-filed-error" message={ce('filedOn')} />
          </div>
          <div class="field">
            <label for="case-result">{g.result}</label>
            <select
              id="case-result"
              value={kase.body.result}
              onChange={(e) => setC({ result: e.currentTarget.value as CaseRequest['result'] })}
            >
              {CASE_RESULTS.map((r) => (
                <option key={r} value={r}>
                  {g.results[r]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="case-concluded">{g.concludedOn}</label>
            <input
              id="case-concluded"
              type="date"
              value={kase.body.concludedOn ?? ''}
              onInput={(e) => setC({ concludedOn: e.currentTarget.value || null })}
              {...describe('case-concluded', ce('concludedOn'))}
            />
            <FieldError id="case-concluded-error" message={ce('concludedOn')} />
          </div>
          <div class="field wide">
            <label for="case-summary">{g.summary}</label>
            <input
              id="case-summary"
              value={kase.body.summary}
              onInput={(e) => setC({ summary: e.currentTarget.value })}
              {...describe('case-summary', ce('summary'))}
            />
            <FieldError id="case-summary-error" message={ce('summary')} />
          </div>
          <div class="field field-button">
            <button type="submit" class="primary">
              {kase.id ? g.save : g.addCase}
            </button>
          </div>
        </div>
        <FailureMessage failure={caseFailure} />
        {cases.length === 0 ? (
          <p class="empty">{g.empty}</p>
        ) : (
          <ul class="register-list">
            {cases.map((c) => (
              <li key={c.id}>
                {c.filedOn} · {g.kinds[c.kind]} · {c.summary} · {g.results[c.result]}{' '}
                <button type="button" onClick={() => setKase({ id: c.id, body: { ...c } })}>
                  {g.edit}
                </button>
              </li>
            ))}
          </ul>
        )}
      </form>
    </div>
  );
}
