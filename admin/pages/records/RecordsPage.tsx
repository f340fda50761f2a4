import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { PageProps } from '../types';
import { RecordsTable } from './RecordsTable';

/** 展示记录, newest first; titles of notices not seen yet are fetched once each. */
export function RecordsPage({
  api,
  data,
}: Pick<PageProps<'town' | 'devices' | 'records' | 'titles' | 'remember' | 'reload'>, 'api' | 'data'>) {
  const { t } = useI18n();
  const asked = useRef(new Set<string>());
  const { records, titles, remember } = data;

  useEffect(() => {
    const missing = [...new Set(records.map((r) => r.noticeId))].filter((id) => !titles.has(id) && !asked.current.has(id));
    for (const id of missing) {
      asked.current.add(id);
      void api.notice(id).then((ack) => ack.ok && remember([ack.data]));
    }
  }, [api, records, titles, remember]);

  return (
    <section aria-labelledby="records-heading">
      <div class="section-head">
        <h1 id="records-heading">{t.records.heading}</h1>
        <button type="button" onClick={() => void data.reload()}>
          {t.common.refresh}
        </button>
      </div>
      <RecordsTable records={records} devices={data.devices} villages={data.town?.villages ?? []} titles={titles} />
    </section>
  );
}
