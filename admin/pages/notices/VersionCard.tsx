import { type NoticeVersion, civilDateOf } from '@protocol';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';

export interface VersionCardProps {
  version: NoticeVersion;
  nameOf: (userId: string) => string;
}

function period(startsAt: number | null, endsAt: number | null, longTerm: string): string | null {
  if (startsAt === null) return null;
  // Civil days in China, as the window was computed; endsAt is exclusive (midnight after the last day).
  return `${civilDateOf(startsAt)} – ${endsAt === null ? longTerm : civilDateOf(endsAt - 1)}`;
}

/** One version: who wrote, submitted and reviewed it, why it was rejected, corrected or withdrawn. */
export function VersionCard({ version: v, nameOf }: VersionCardProps) {
  const { t } = useI18n();
  const d = t.detail;
  const window = period(v.startsAt, v.endsAt, t.editor.rules.long_term);
  return (
    <li class="version" data-version={v.number} data-version-state={v.state}>
      <div class="version-head">
        <strong>{d.version(v.number)}</strong>
        <span class={`badge badge-${v.state === 'superseded' ? 'expired' : v.state}`}>{t.versionStates[v.state]}</span>
        <span class="version-title">{v.content.title}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>{d.createdBy}</dt>
          <dd>
            {v.editors.map(nameOf).join('、')} · {formatDateTime(v.createdAt)}
          </dd>
        </div>
        {v.submittedBy && v.submittedAt !== null && (
          <div>
            <dt>{d.submittedBy}</dt>
            <dd>
              {nameOf(v.submittedBy)} · {formatDateTime(v.submittedAt)}
            </dd>
          </div>
        )}
        {v.review && (
          <div>
            <dt>{d.reviewedBy}</dt>
            <dd>
              {nameOf(v.review.by)} · {formatDateTime(v.review.at)}
            </dd>
          </div>
        )}
        {v.review?.fastPath && (
          <div data-fast-path="true">
            <dt>{d.fastPath}</dt>
            <dd class="warn-text">{d.fastPathValue}</dd>
          </div>
        )}
        {v.review?.decision === 'approved' && v.review.reason && (
          <div>
            <dt>{d.opinion}</dt>
            <dd>{v.review.reason}</dd>
          </div>
        )}
        {v.review?.decision === 'rejected' && (
          <div>
            <dt>{d.rejectReason}</dt>
            <dd class="warn-text">{v.review.reason}</dd>
          </div>
        )}
        {v.review?.privacyOverride && (
          <div>
            <dt>{d.privacyOverride}</dt>
            <dd>{v.review.privacyOverride.reason}</dd>
          </div>
        )}
        {v.correction && (
          <div>
            <dt>{d.correction}</dt>
            <dd>{v.correction.reason}</dd>
          </div>
        )}
        {v.withdrawal && (
          <div>
            <dt>{d.withdrawReason}</dt>
            <dd>
              {v.withdrawal.reason} ({nameOf(v.withdrawal.by)} · {formatDateTime(v.withdrawal.at)})
            </dd>
          </div>
        )}
        {window && (
          <div>
            <dt>{d.window}</dt>
            <dd>{window}</dd>
          </div>
        )}
        <div>
          <dt>{d.hash}</dt>
          <dd>
            <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code>
          </dd>
        </div>
      </dl>
    </li>
  );
}
