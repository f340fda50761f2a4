import type { NoticeContent, Village } from '@protocol';
import { DiffText } from '../../components/DiffText';
import { useI18n } from '../../i18n';
import { TEXT_FIELDS, VALUE_FIELDS, describeField } from '../../lib/contentFacts';
import { diffText } from '../../lib/diff';

export interface VersionDiffProps {
  /** The version on screens, or null for a notice never published. */
  before: NoticeContent | null;
  after: NoticeContent;
  villages: readonly Village[];
}

/**
 * The pending version against the live one: title, text and LED text as word
 * diffs, the other fields as before/after. A new notice is shown whole.
 */
export function VersionDiff({ before, after, villages }: VersionDiffProps) {
  const { t } = useI18n();
  const r = t.review;
  const textChanges = TEXT_FIELDS.filter((f) => before === null || before[f] !== after[f]);
  const valueChanges = VALUE_FIELDS.filter(
    (f) => before === null || describeField(t, f, before, villages) !== describeField(t, f, after, villages),
  );
  if (textChanges.length === 0 && valueChanges.length === 0) return <p class="note">{r.noChanges}</p>;
  return (
    <div class="version-diff">
      {textChanges.map((field) => (
        <section key={field} class="diff-field" aria-labelledby={`diff-${field}`}>
          <h3 id={`diff-${field}`}>{r.fields[field]}</h3>
          <DiffText parts={before === null ? [{ op: 'equal', text: after[field] }] : diffText(before[field], after[field])} />
        </section>
      ))}
      {valueChanges.length > 0 && (
        <table class="diff-table">
          <caption class="sr-only">{r.changes}</caption>
          <thead>
            <tr>
              <th scope="col">{r.field}</th>
              {before && <th scope="col">{r.before}</th>}
              <th scope="col">{before ? r.after : r.value}</th>
            </tr>
          </thead>
          <tbody>
            {valueChanges.map((field) => (
              <tr key={field} data-changed-field={field}>
                <th scope="row">{r.fields[field]}</th>
                {before && <td class="before">{describeField(t, field, before, villages)}</td>}
                <td class="after">{describeField(t, field, after, villages)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
