import type { CheckpointSignature } from '@protocol';
import { useI18n } from '../../i18n';

/** The controller's checkpoint signing key, as staff hand it to an auditor: fingerprint to compare by eye, public key to keep. */
export function SigningKeyFacts({
  signature,
  download,
}: {
  signature: CheckpointSignature | undefined;
  download: (name: string, text: string, type: string) => void;
}) {
  const { t } = useI18n();
  const l = t.ledgerReports.ledger;
  if (!signature) return <p class="hint">{l.unsigned}</p>;
  return (
    <section aria-labelledby="signing-key-heading" class="signing-key">
      <h3 id="signing-key-heading">{l.signingKey}</h3>
      <dl class="facts">
        <dt>{l.fingerprint}</dt>
        <dd class="hash-full" data-testid="key-fingerprint">
          {signature.fingerprint}
        </dd>
        <dt>{l.publicKey}</dt>
        <dd>
          <pre class="hash-full" data-testid="public-key">
            {signature.publicKey}
          </pre>
        </dd>
      </dl>
      <p class="hint">
        {l.signingHint} <code>{l.verifyCommand}</code>
      </p>
      <button type="button" onClick={() => download('gongshi-checkpoint-signing.pub', signature.publicKey, 'application/x-pem-file')}>
        {l.downloadPublicKey}
      </button>
    </section>
  );
}
