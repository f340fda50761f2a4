import type { Notice, StaffUser, Village } from '@protocol';
import { useState } from 'preact/hooks';
import { NoticeForm } from '../components/NoticeForm';
import { NoticeList } from '../components/NoticeList';
import { useI18n } from '../i18n';
import type { AdminApi } from '../lib/api';

export interface NoticesPageProps {
  api: AdminApi;
  user: StaffUser;
  notices: readonly Notice[];
  villages: readonly Village[];
  onChanged: (notice: Notice) => void;
}

export function NoticesPage({ api, user, notices, villages, onChanged }: NoticesPageProps) {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const changed = (notice: Notice): void => {
    onChanged(notice);
    setDone(t.notices.done[notice.state] ?? null);
  };

  return (
    <section aria-labelledby="notices-heading">
      <div class="section-head">
        <h2 id="notices-heading">{t.notices.heading}</h2>
        {!creating && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setCreating(true);
              setDone(null);
            }}
          >
            {t.notices.create}
          </button>
        )}
      </div>
      {creating && (
        <NoticeForm
          villages={villages}
          save={(body) => api.createNotice(body)}
          onSaved={(notice) => {
            setCreating(false);
            changed(notice);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <p class="flash" role="status">
        {done}
      </p>
      <NoticeList
        notices={notices}
        villages={villages}
        user={user}
        act={(action, id) => (action === 'submit' ? api.submitNotice(id) : api.approveNotice(id))}
        onChanged={changed}
      />
    </section>
  );
}
