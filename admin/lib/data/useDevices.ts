import type { Device, Failure } from '@protocol';
import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import type { AdminApi, DeviceView } from '../api';
import { mergeById } from '../collections';

/** The paired kiosks and village nodes. */
export interface DevicesData {
  devices: DeviceView[];
  reloadDevices: () => Promise<void>;
}

/** The device list: `load` for the snapshot, `changed` for a live delta. */
export function useDevices(api: AdminApi): {
  data: DevicesData;
  load: () => Promise<Failure | null>;
  changed: (device: Device) => void;
} {
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const latest = useRef(devices);
  latest.current = devices;

  const load = useCallback(async (): Promise<Failure | null> => {
    const ack = await api.devices();
    if (!ack.ok) return ack;
    setDevices(ack.data);
    return null;
  }, [api]);

  const reloadDevices = useCallback(async () => void (await load()), [load]);

  const changed = useCallback(
    (device: Device) => {
      // A device we have not listed yet needs its kiosk URL, which only the list call gives.
      if (latest.current.some((d) => d.id === device.id)) setDevices((list) => mergeById(list, device) ?? list);
      else void load();
    },
    [load],
  );

  const data = useMemo(() => ({ devices, reloadDevices }), [devices, reloadDevices]);
  return { data, load, changed };
}
