import type { ManualDisclosure } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { ownVillages, villageScope } from '../../lib/permissions';
import { type ReportsApi, createReportsApi } from '../../lib/reportsApi';
import type { PageProps } from '../types';
import { ManualDisclosureForm } from './ManualDisclosureForm';
import { ManualDisclosureList } from './ManualDisclosureList';

export interface ChannelsPageProps extends Pick<PageProps<'town'>, 'data' | 'user'> {
  reports?: ReportsApi;
}

/**
 * 其他渠道公开: the form that records a posting on the paper board (with a
 * photo), a WeChat post, the website or a broadcast, and the list of those
 * recorded so far. An editor limited to villages records for theirs only.
 */
export function ChannelsPage({ data, user, reports }: ChannelsPageProps) {
  const { t } = useI18n();
  const c = t.ledgerReports.channels;
  const [api] = useState(() => reports ?? createReportsApi());
  const [entries, setEntries] = useState<ManualDisclosure[]>([]);
  const villages = data.town?.villages ?? [];

  useEffect(() => {
    void api.manual().then((ack) => ack.ok && setEntries(ack.data));
  }, [api]);

  return (
    <section aria-labelledby="channels-heading">
      <div class="section-head">
        <h1 id="channels-heading">{c.heading}</h1>
      </div>
      <p class="hint">{c.intro}</p>
      <ManualDisclosureForm
        key={villageScope(user)?.join(',') ?? '*'}
        api={api}
        villages={ownVillages(user, villages)}
        limited={villageScope(user) !== null}
        onRecorded={(entry) => setEntries((list) => [entry, ...list])}
      />
      <ManualDisclosureList entries={entries} villages={villages} photoLink={api.links.photo} />
    </section>
  );
}
