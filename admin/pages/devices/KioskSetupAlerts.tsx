/**
 * What staff must fix in the kiosks' setup, above the device table: a public URL only this machine can
 * open (QR codes and kiosk links useless elsewhere), and kiosks whose browser cannot sound the warning chime.
 */
import type { Ack, PublicUrlCheck } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { DeviceView } from '../../lib/api';
import { isRevoked } from '../../lib/deviceHealth';

export function PublicUrlAlert({ load }: { load: () => Promise<Ack<PublicUrlCheck>> }) {
  const { t } = useI18n();
  const p = t.devices.publicUrl;
  const [check, setCheck] = useState<PublicUrlCheck | null>(null);
  useEffect(() => {
    let current = true;
    void load().then((ack) => {
      if (current && ack.ok) setCheck(ack.data);
    });
    return () => void (current = false);
  }, [load]);
  if (!check?.option) return null;
  return (
    <section class="alert-banner" aria-labelledby="public-url-heading" data-public-url={check.source}>
      <h2 id="public-url-heading">
        <span aria-hidden="true">⚠ </span>
        {check.loopback ? p.loopback(check.url) : p.derived(check.url)}
      </h2>
      {check.loopback && check.remoteKiosks.length > 0 && <p>{p.remote(check.remoteKiosks.map((k) => k.address).join('、'))}</p>}
      <p>
        {p.set} <code>{check.option}</code>
      </p>
    </section>
  );
}

export function SoundAlert({ devices }: { devices: readonly DeviceView[] }) {
  const { t } = useI18n();
  const s = t.devices.sound;
  const silent = devices.filter((d) => !isRevoked(d) && d.online && (d.status?.sound === 'blocked' || d.status?.sound === 'none'));
  if (silent.length === 0) return null;
  return (
    <section class="alert-banner" aria-labelledby="sound-alert-heading" data-sound-alert={silent.length}>
      <h2 id="sound-alert-heading">
        <span aria-hidden="true">⚠ </span>
        {s.heading(silent.length)}
      </h2>
      <ul>
        {silent.map((d) => (
          <li key={d.id} data-device-id={d.id}>
            {d.name}：{d.status?.sound === 'none' ? s.noneHint : s.hint}
          </li>
        ))}
      </ul>
    </section>
  );
}
