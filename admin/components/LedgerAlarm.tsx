import type { Ack, Failure, LedgerIntegrityReport } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';
import { FailureMessage } from './Feedback';
import { Field } from './Field';

/** How often the shell asks again: the controller checks every few minutes, a device reports on connect. */
const POLL_MS = 60_000;

/**
 * The ledger alarm on every page: a break found by the controller's own check
 * (reports are held back until an admin accepts the ledger, docs/OPERATIONS.md
 * §12), or a device (kiosk or village node) reporting that the ledger does not
 * extend the checkpoint it holds, or that it cannot read the checkpoint it kept
 * (only the device can clear that).
 */
export function LedgerAlarm({
  load,
  accept,
  refresh = '',
}: {
  load: () => Promise<LedgerIntegrityReport | null>;
  /** Asked again as soon as this changes (the devices' witness alarms, pushed as they rise or clear), besides the poll. */
  refresh?: string;
  /** An admin accepts the ledger as it stands (the controller refuses anyone else and names a too-short reason). */
  accept?: (reason: string) => Promise<Ack<unknown>>;
}) {
  const { t } = useI18n();
  const a = t.ledgerAlarm;
  const [report, setReport] = useState<LedgerIntegrityReport | null>(null);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  useEffect(() => {
    let live = true;
    const poll = (): void => void load().then((r) => live && setReport(r));
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [load, refresh]);
  if (!report || (report.status !== 'broken' && report.witnessAlarms.length === 0)) return null;
  return (
    <div class="form-error ledger-alarm" role="alert">
      {report.status === 'broken' && (
        <p>
          <strong>{a.broken}</strong> {report.broken.file} · {report.broken.line} · {report.broken.reason} (
          {formatDateTime(report.detectedAt)}
          ). {a.procedure}
        </p>
      )}
      {report.status === 'broken' && accept && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void accept(reason).then(async (ack) => {
              setFailure(ack.ok ? null : ack);
              if (ack.ok) setReport(await load());
            });
          }}
        >
          <Field id="ledger-accept-reason" label={a.reason}>
            {(control) => <textarea {...control} rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
          </Field>
          <FailureMessage failure={failure} />
          <button type="submit">{a.accept}</button>
        </form>
      )}
      {report.witnessAlarms.length > 0 && (
        <>
          <p>
            <strong>{a.witnesses}</strong>
          </p>
          <ul>
            {report.witnessAlarms.map((w) => (
              <li key={w.deviceId} data-device={w.deviceId}>
                {w.deviceId}: {w.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
