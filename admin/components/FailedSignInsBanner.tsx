import type { FailedSignIns } from '@protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/format';

/** Tells the signed-in user of failed sign-ins to their account since their previous sign-in (issue 12 point 2). */
export function FailedSignInsBanner({ failed }: { failed: FailedSignIns | undefined }) {
  const { t } = useI18n();
  const [dismissed, setDismissed] = useState(false);
  if (!failed || failed.count === 0 || dismissed) return null;
  return (
    <div class="form-error failed-sign-ins" role="alert">
      <p>{t.failedSignIns.text(failed.count, formatDateTime(failed.lastAt), failed.addresses.join(', '))}</p>
      <button type="button" onClick={() => setDismissed(true)}>
        {t.failedSignIns.dismiss}
      </button>
    </div>
  );
}
