/**
 * The staff app's picture of the town: a snapshot over HTTP, then live deltas
 * over socket.io. Every (re)connect fetches the snapshot again, so nothing
 * that changed while the link was down stays missing.
 */
import type { DisplayRecord, ErrorCode, Notice } from '@protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi, DeviceView, TownInfo } from './api';
import { mergeById, prependRecord, upsertById } from './collections';
import type { ConnectLive, LiveStatus } from './live';

export interface AdminData {
  town: TownInfo | null;
  notices: Notice[];
  devices: DeviceView[];
  records: DisplayRecord[];
  live: LiveStatus;
  /** Why the last snapshot load failed, if it did. */
  loadError: ErrorCode | null;
  reload: () => Promise<void>;
  /** Applies a notice the API just returned, before the broadcast arrives. */
  noticeChanged: (notice: Notice) => void;
  reloadDevices: () => Promise<void>;
}

export function useAdminData(api: AdminApi, connect: ConnectLive): AdminData {
  const [town, setTown] = useState<TownInfo | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const devicesRef = useRef(devices);
  devicesRef.current = devices;
  const [records, setRecords] = useState<DisplayRecord[]>([]);
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [loadError, setLoadError] = useState<ErrorCode | null>(null);

  const reloadDevices = useCallback(async () => {
    const ack = await api.devices();
    if (ack.ok) setDevices(ack.data);
  }, [api]);

  const reload = useCallback(async () => {
    const [townAck, noticesAck, devicesAck, recordsAck] = await Promise.all([api.town(), api.notices(), api.devices(), api.records(100)]);
    if (townAck.ok) setTown(townAck.data);
    if (noticesAck.ok) setNotices(noticesAck.data);
    if (devicesAck.ok) setDevices(devicesAck.data);
    if (recordsAck.ok) setRecords(recordsAck.data);
    const failed = [townAck, noticesAck, devicesAck, recordsAck].find((a) => !a.ok);
    setLoadError(failed && !failed.ok ? failed.error : null);
  }, [api]);

  const noticeChanged = useCallback((notice: Notice) => setNotices((list) => upsertById(list, notice)), []);

  useEffect(() => {
    void reload();
    const link = connect({
      status(status) {
        setLive(status);
        // Snapshot after subscribing: whatever changed before the link was up is in the fresh lists.
        if (status === 'online') void reload();
      },
      noticeChanged,
      displayRecorded: (record) => setRecords((list) => prependRecord(list, record)),
      deviceChanged(device) {
        // A device we have not listed yet needs its kiosk URL, which only the list call gives.
        if (devicesRef.current.some((d) => d.id === device.id)) setDevices((list) => mergeById(list, device) ?? list);
        else void reloadDevices();
      },
    });
    return () => link.close();
  }, [connect, reload, reloadDevices, noticeChanged]);

  return { town, notices, devices, records, live, loadError, reload, noticeChanged, reloadDevices };
}
