import type { ManualDisclosure, Village } from '@protocol';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';

export interface ManualDisclosureListProps {
  entries: readonly ManualDisclosure[];
  villages: readonly Village[];
  /** The address of a stored photo, by its hash. */
  photoLink: (sha256: string) => string;
}

/** The disclosures recorded so far, newest first, with a late entry's delay and reason. */
export function ManualDisclosureList({ entries, villages, photoLink }: ManualDisclosureListProps) {
  const { t } = useI18n();
  const c = t.ledgerReports.channels;
  const villageName = (id: string | null): string => (id ? (villages.find((v) => v.id === id)?.name ?? id) : c.town);
  return (
    <>
      <h2>{c.list}</h2>
      {entries.length === 0 ? (
        <p class="empty">{c.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{c.disclosedOn}</th>
                <th scope="col">{c.recordedAt}</th>
                <th scope="col">{c.channel}</th>
                <th scope="col">{c.title}</th>
                <th scope="col">{c.village}</th>
                <th scope="col">{c.photo}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.entryId}>
                  <td class="nowrap">{e.disclosedOn}</td>
                  <td class="nowrap" data-late={e.late ? 'true' : undefined}>
                    {formatDateTime(e.recordedAt)}
                    {e.late && <span class="hint"> {c.late(e.late.days, e.late.reason)}</span>}
                  </td>
                  <td class="nowrap">{c.names[e.channel]}</td>
                  <td>{e.title}</td>
                  <td class="nowrap">{villageName(e.villageId)}</td>
                  <td>
                    {e.photo ? (
                      <a href={photoLink(e.photo.sha256)} target="_blank" rel="noopener">
                        {c.viewPhoto}
                      </a>
                    ) : (
                      c.none
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
