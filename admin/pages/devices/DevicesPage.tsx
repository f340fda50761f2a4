import type { StaffUser, Village } from '@protocol';
import { DeviceForm } from '../components/DeviceForm';
import { DeviceTable } from '../components/DeviceTable';
import { useI18n } from '../i18n';
import type { AdminApi, DeviceView } from '../lib/api';

export interface DevicesPageProps {
  api: AdminApi;
  user: StaffUser;
  devices: readonly DeviceView[];
  villages: readonly Village[];
  onCreated: () => void;
}

export function DevicesPage({ api, user, devices, villages, onCreated }: DevicesPageProps) {
  const { t } = useI18n();
  const isAdmin = user.roles.includes('admin');
  return (
    <section aria-labelledby="devices-heading">
      <div class="section-head">
        <h2 id="devices-heading">{t.devices.heading}</h2>
      </div>
      <DeviceTable devices={devices} villages={villages} />
      {isAdmin ? (
        <DeviceForm villages={villages} create={(body) => api.createDevice(body)} onCreated={onCreated} />
      ) : (
        <p class="hint">{t.devices.adminOnly}</p>
      )}
    </section>
  );
}
