import type { DisplayRecord, Notice, Village } from '@protocol';
import { RecordsTable } from '../components/RecordsTable';
import { useI18n } from '../i18n';
import type { DeviceView } from '../lib/api';

export interface RecordsPageProps {
  records: readonly DisplayRecord[];
  devices: readonly DeviceView[];
  villages: readonly Village[];
  notices: readonly Notice[];
  onRefresh: () => void;
}

export function RecordsPage({ onRefresh, ...tableProps }: RecordsPageProps) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="records-heading">
      <div class="section-head">
        <h2 id="records-heading">{t.records.heading}</h2>
        <button type="button" onClick={onRefresh}>
          {t.common.refresh}
        </button>
      </div>
      <RecordsTable {...tableProps} />
    </section>
  );
}
