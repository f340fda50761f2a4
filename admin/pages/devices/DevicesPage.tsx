import { useI18n } from '../../i18n';
import { isAdmin } from '../../lib/permissions';
import type { PageProps } from '../types';
import { DeviceForm } from './DeviceForm';
import { DeviceTable } from './DeviceTable';

export function DevicesPage({ api, data, user }: Omit<PageProps, 'go'>) {
  const { t } = useI18n();
  const villages = data.town?.villages ?? [];
  return (
    <section aria-labelledby="devices-heading">
      <div class="section-head">
        <h1 id="devices-heading">{t.devices.heading}</h1>
      </div>
      <DeviceTable devices={data.devices} villages={villages} />
      {isAdmin(user) ? (
        <DeviceForm villages={villages} create={(body) => api.createDevice(body)} onCreated={() => void data.reloadDevices()} />
      ) : (
        <p class="hint">{t.devices.adminOnly}</p>
      )}
    </section>
  );
}
