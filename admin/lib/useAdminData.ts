/**
 * The staff app's picture of the town: a snapshot over HTTP, then live deltas
 * over socket.io. Every (re)connect fetches the snapshot again, so nothing
 * that changed while the link was down stays missing. Each concern (town,
 * devices, display records, staff, notice changes) has its own hook in
 * `./data/`; this one runs the link and the snapshot, and a page takes only
 * the slices it uses (see {@link PageData}).
 */
import type { ErrorCode, StaffUser } from '@protocol';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AdminApi } from './api';
import { type DevicesData, useDevices } from './data/useDevices';
import { type NoticeBus, useNoticeBus } from './data/useNoticeBus';
import { type RecordsData, useRecords } from './data/useRecords';
import { type StaffData, useStaffNames } from './data/useStaffNames';
import { type TownData, useTownData } from './data/useTownData';
import type { ConnectLive, LiveStatus } from './live';

export { type NoticeListener, useNoticeChanges } from './data/useNoticeBus';
export type { DevicesData, NoticeBus, RecordsData, StaffData, TownData };

/** The live link and the snapshot behind every slice. */
export interface LinkData {
  live: LiveStatus;
  /** Why the last snapshot load failed, if it did. */
  loadError: ErrorCode | null;
  /** Fetches the whole snapshot again. */
  reload: () => Promise<void>;
}

export type AdminData = TownData & DevicesData & RecordsData & StaffData & NoticeBus & LinkData;

/** The slices of {@link AdminData} a page reads, by name: `PageData<'town' | 'nameOf'>`. */
export type PageData<K extends keyof AdminData> = Pick<AdminData, K>;

export function useAdminData(api: AdminApi, connect: ConnectLive, user: StaffUser): AdminData {
  const town = useTownData(api);
  const devices = useDevices(api);
  const records = useRecords(api);
  const staff = useStaffNames(api, user);
  const bus = useNoticeBus();
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [loadError, setLoadError] = useState<ErrorCode | null>(null);

  const loadTown = town.load;
  const loadDevices = devices.load;
  const loadRecords = records.load;
  const loadStaff = staff.load;
  const reload = useCallback(async () => {
    const failures = await Promise.all([loadTown(), loadDevices(), loadRecords(), loadStaff()]);
    setLoadError(failures.find((f) => f !== null)?.error ?? null);
  }, [loadTown, loadDevices, loadRecords, loadStaff]);

  const { noticeChanged } = bus;
  const deviceChanged = devices.changed;
  const displaysRecorded = records.recorded;
  useEffect(() => {
    void reload();
    const link = connect({
      status(status) {
        setLive(status);
        // Snapshot after subscribing: whatever changed before the link was up is in the fresh lists.
        if (status === 'online') void reload();
      },
      noticeChanged,
      displaysRecorded,
      deviceChanged,
      // The user's villages changed: the lists are fetched again under the new scope.
      accessChanged: () => void reload(),
    });
    return () => link.close();
  }, [connect, reload, noticeChanged, displaysRecorded, deviceChanged]);

  return useMemo(
    () => ({ ...town.data, ...devices.data, records: records.records, ...staff.data, ...bus, live, loadError, reload }),
    [town.data, devices.data, records.records, staff.data, bus, live, loadError, reload],
  );
}
