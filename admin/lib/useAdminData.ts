/**
 * The staff app's picture of the town: a snapshot over HTTP, then live deltas
 * over socket.io. Every (re)connect fetches the snapshot again, so nothing
 * that changed while the link was down stays missing. Each concern (town,
 * devices, display records, staff, notice changes) has its own hook in
 * `./data/`; this one runs the link and the snapshot, and a page takes only
 * the slices it uses (see {@link PageData}).
 */
import type { ErrorCode, StaffUser } from '@protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AdminApi } from './api';
import { type DevicesData, useDevices } from './data/useDevices';
import { type NoticeBus, useNoticeBus } from './data/useNoticeBus';
import { type RecordsData, useRecords } from './data/useRecords';
import { type StaffData, useStaffNames } from './data/useStaffNames';
import { type TownData, useTownData } from './data/useTownData';
import type { ConnectLive, LiveHandlers, LiveStatus } from './live';

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

/** What the link tells of the signed-in user's own session: new access, or the session's end. */
export type SessionHandlers = Required<Pick<LiveHandlers, 'accessChanged' | 'sessionEnded'>>;

export function useAdminData(api: AdminApi, connect: ConnectLive, user: StaffUser, session?: SessionHandlers): AdminData {
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
  // The link stays up while the user's access changes: it reads the newest snapshot loader and session handlers.
  const latest = useRef({ reload, session });
  latest.current = { reload, session };
  /** Access changes seen on the link: each fetches the snapshot again, once the user's new access is rendered. */
  const [accessChanges, setAccessChanges] = useState(0);
  useEffect(() => {
    const link = connect({
      status(status) {
        setLive(status);
        // Snapshot after subscribing: whatever changed before the link was up is in the fresh lists.
        if (status === 'online') void latest.current.reload();
      },
      noticeChanged,
      displaysRecorded,
      deviceChanged,
      // The user's roles or villages changed: the session takes them, then the lists are fetched under the new scope.
      accessChanged(access) {
        latest.current.session?.accessChanged(access);
        setAccessChanges((n) => n + 1);
      },
      sessionEnded: (reason) => latest.current.session?.sessionEnded(reason),
    });
    return () => link.close();
  }, [connect, noticeChanged, displaysRecorded, deviceChanged]);
  // On start, after each access change, and when the loader itself changes with the user's roles (an admin's list).
  useEffect(() => void reload(), [reload, accessChanges]);

  return useMemo(
    () => ({ ...town.data, ...devices.data, records: records.records, ...staff.data, ...bus, live, loadError, reload }),
    [town.data, devices.data, records.records, staff.data, bus, live, loadError, reload],
  );
}
