import type { CheckpointExport, Failure } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { type ReportsApi, type Verification, createReportsApi } from '../../lib/reportsApi';
import { LedgerExportForm } from './LedgerExportForm';
import { SigningKeyFacts } from './SigningKeyFacts';

export interface LedgerPageProps {
  reports?: ReportsApi;
}

/** Downloads `text` as a file named `name` (the checkpoint an auditor keeps). */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** 公开账本: the current checkpoint, its export, verification (optionally against an earlier checkpoint) and record exports. */
export function LedgerPage({ reports }: LedgerPageProps) {
  const { t } = useI18n();
  const l = t.ledgerReports.ledger;
  const [api] = useState(() => reports ?? createReportsApi());
  const [checkpoint, setCheckpoint] = useState<CheckpointExport | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [busy, setBusy] = useState(false);
  const [seq, setSeq] = useState('');
  const [hash, setHash] = useState('');

  const load = async (): Promise<void> => {
    const ack = await api.checkpoint();
    if (ack.ok) setCheckpoint(ack.data);
    else setFailure(ack);
  };
  useEffect(() => void load(), [api]);

  const verify = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setVerification(null);
    const against = seq || hash ? { seq: Number(seq), headHash: hash.trim() } : undefined;
    const ack = await api.verify(against);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setVerification(ack.data);
    void load();
  };

  const seqError = failure?.fields?.seq ?? null;
  const hashError = failure?.fields?.headHash ?? null;
  return (
    <section aria-labelledby="ledger-heading" class="ledger-page">
      <div class="section-head">
        <h1 id="ledger-heading">{l.heading}</h1>
        <button type="button" onClick={() => void load()}>
          {t.common.refresh}
        </button>
      </div>
      <div class="card">
        <h2>{l.checkpoint}</h2>
        {checkpoint ? (
          <dl class="facts">
            <dt>{l.seq}</dt>
            <dd data-testid="checkpoint-seq">{checkpoint.seq}</dd>
            <dt>{l.headHash}</dt>
            <dd class="hash-full">{checkpoint.headHash}</dd>
            <dt>{l.at}</dt>
            <dd>{formatDateTime(checkpoint.at)}</dd>
          </dl>
        ) : (
          <p class="loading">{t.common.loading}</p>
        )}
        <p class="hint">{l.checkpointHint}</p>
        {checkpoint && <SigningKeyFacts signature={checkpoint.signature} download={download} />}
        <button
          type="button"
          disabled={!checkpoint}
          onClick={() => checkpoint && download(`ledger-checkpoint-${checkpoint.seq}.json`, `${JSON.stringify(checkpoint, null, 2)}\n`)}
        >
          {l.exportCheckpoint}
        </button>
      </div>
      <form class="card" onSubmit={(e) => void verify(e)} noValidate aria-labelledby="verify-heading">
        <h2 id="verify-heading">{l.verify}</h2>
        <p class="hint">{l.verifyHint}</p>
        <div class="row">
          <Field id="verify-seq" label={l.againstSeq} error={seqError}>
            {(control) => <input {...control} inputMode="numeric" value={seq} onInput={(e) => setSeq(e.currentTarget.value)} />}
          </Field>
          <Field id="verify-hash" label={l.againstHash} error={hashError} class="wide">
            {(control) => <input {...control} value={hash} onInput={(e) => setHash(e.currentTarget.value)} />}
          </Field>
          <div class="field field-button">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? l.verifying : l.verifyButton}
            </button>
          </div>
        </div>
        <FailureMessage failure={failure} />
        {verification && (
          <p class={verification.ok ? 'flash ok-text' : 'form-error'} role={verification.ok ? 'status' : 'alert'}>
            {verification.ok
              ? l.intact(verification.records, verification.checkpoint.seq)
              : l.broken(
                  verification.firstBroken.file,
                  verification.firstBroken.line,
                  verification.firstBroken.seq,
                  verification.firstBroken.reason,
                )}
          </p>
        )}
      </form>
      <LedgerExportForm api={api} />
    </section>
  );
}
