import {
  APPLICANT_TYPES,
  APPLICATION_CHANNELS,
  type ApplicationRequest,
  type DisclosureApplication,
  type Failure,
  OUTCOMES,
  type Village,
} from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';
import { RegisterVillage, villageLabel } from './RegisterVillage';

const EMPTY_APP: ApplicationRequest = {
  applicantType: 'natural',
  receivedOn: '',
  channel: 'in_person',
  subject: '',
  outcome: null,
  repliedOn: null,
  feeYuan: 0,
  villageId: null,
};

/** 依申请公开登记: the register of requests for disclosure (the source of table T3), with its form. */
export function ApplicationsRegister({
  api,
  onSaved,
  villages = [],
}: {
  api: ReportsApi;
  onSaved: () => void;
  villages?: readonly Village[];
}) {
  const { t } = useI18n();
  const g = t.ledgerReports.registers;
  const [apps, setApps] = useState<DisclosureApplication[]>([]);
  const [app, setApp] = useState<{ id: string | null; body: ApplicationRequest }>({ id: null, body: EMPTY_APP });
  const [failure, setFailure] = useState<Failure | null>(null);

  const load = async (): Promise<void> => {
    const ack = await api.applications();
    if (ack.ok) setApps(ack.data);
  };
  useEffect(() => void load(), [api]);

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const ack = await api.saveApplication(app.id, app.body);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setApp({ id: null, body: EMPTY_APP });
    onSaved();
    await load();
  };

  const error = (f: string) => fieldErrorFor(failure, f);
  const set = (patch: Partial<ApplicationRequest>) => setApp({ ...app, body: { ...app.body, ...patch } });
  return (
    <form class="card" onSubmit={(e) => void save(e)} noValidate aria-labelledby="apps-heading">
      <h2 id="apps-heading">{g.applications}</h2>
      <div class="row">
        <Field id="app-type" label={g.applicantType}>
          {(control) => (
            <select
              {...control}
              value={app.body.applicantType}
              onChange={(e) => set({ applicantType: e.currentTarget.value as ApplicationRequest['applicantType'] })}
            >
              {APPLICANT_TYPES.map((a) => (
                <option key={a} value={a}>
                  {g.applicantTypes[a]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="app-received" label={g.receivedOn} error={error('receivedOn')}>
          {(control) => (
            <input {...control} type="date" value={app.body.receivedOn} onInput={(e) => set({ receivedOn: e.currentTarget.value })} />
          )}
        </Field>
        <Field id="app-channel" label={g.channel}>
          {(control) => (
            <select
              {...control}
              value={app.body.channel}
              onChange={(e) => set({ channel: e.currentTarget.value as ApplicationRequest['channel'] })}
            >
              {APPLICATION_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {g.channels[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <RegisterVillage
          id="app-village"
          value={app.body.villageId ?? null}
          villages={villages}
          error={error('villageId')}
          onChange={(villageId) => set({ villageId })}
        />
        <Field id="app-subject" label={g.subject} error={error('subject')} class="wide">
          {(control) => <input {...control} value={app.body.subject} onInput={(e) => set({ subject: e.currentTarget.value })} />}
        </Field>
      </div>
      <div class="row">
        <Field id="app-outcome" label={g.outcome} class="wide">
          {(control) => (
            <select
              {...control}
              value={app.body.outcome ?? ''}
              onChange={(e) => set({ outcome: (e.currentTarget.value || null) as ApplicationRequest['outcome'] })}
            >
              <option value="">{g.pending}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {g.outcomes[o]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="app-replied" label={g.repliedOn} error={error('repliedOn')}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={app.body.repliedOn ?? ''}
              onInput={(e) => set({ repliedOn: e.currentTarget.value || null })}
            />
          )}
        </Field>
        <Field id="app-fee" label={g.feeYuan} error={error('feeYuan')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              value={app.body.feeYuan}
              onInput={(e) => set({ feeYuan: Number(e.currentTarget.value) })}
            />
          )}
        </Field>
        <div class="field field-button">
          <button type="submit" class="primary">
            {app.id ? g.save : g.addApplication}
          </button>
        </div>
      </div>
      <FailureMessage failure={failure} />
      {apps.length === 0 ? (
        <p class="empty">{g.empty}</p>
      ) : (
        <ul class="register-list">
          {apps.map((a) => (
            <li key={a.id}>
              {a.receivedOn} · {villageLabel(a.villageId, villages, g.wholeTown)} · {g.applicantTypes[a.applicantType]} · {a.subject} ·{' '}
              {a.outcome ? `${g.outcomes[a.outcome]}（${a.repliedOn ?? ''}）` : g.pending}{' '}
              <button type="button" onClick={() => setApp({ id: a.id, body: { ...a } })}>
                {g.edit}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
