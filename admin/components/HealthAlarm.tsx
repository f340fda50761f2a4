import type { Health } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import type { AdminApi } from '../lib/api';
import { formatDateTime } from '../lib/format';

/** How often the signed-in app asks the controller whether it needs the operator. */
export const HEALTH_POLL_MS = 30_000;

/** An alarm on every page while the controller says it is degraded (a full data disk): what is wrong and since when. */
export function HealthAlarm({ api }: { api: Pick<AdminApi, 'health'> }) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<NonNullable<Health['problems']>>([]);
  useEffect(() => {
    let alive = true;
    const check = (): void =>
      void api.health().then((ack) => {
        if (alive && ack.ok) setProblems(ack.data.problems ?? []);
      });
    check();
    const timer = setInterval(check, HEALTH_POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [api]);
  if (problems.length === 0) return null;
  return (
    <div class="form-error health-alarm" role="alert">
      {problems.map((p) => (
        <p key={p.code}>
          <strong>{t.healthAlarm[p.code]}</strong> {t.healthAlarm.since} {formatDateTime(p.since)}
        </p>
      ))}
    </div>
  );
}
