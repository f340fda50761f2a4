/**
 * The staff app's picture of the town: a snapshot over HTTP, then live deltas
 * over socket.io. Every (re)connect fetches the snapshot again, so nothing
 * that changed while the link was down stays missing. Notices are paged and
 * filtered, so pages fetch their own and subscribe here for changes.
 */
import { type DisplayRecord, type ErrorCode, type HolidayCalendar, type Notice, type StaffUser, createHolidayCalendar } from '@protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AdminApi, DeviceView, StaffMember, TownInfo, TownSettings } from './api';
import { mergeById, prependRecords } from './collections';
import type { ConnectLive, LiveStatus } from './live';
import { isAdmin } from './permissions';

export type NoticeListener = (notice: Notice) => void;

export interface AdminData {
  town: TownInfo | null;
  /** The working-day calendar with the town's holiday overrides, as the controller computes posting periods. */
  calendar: HolidayCalendar;
  devices: DeviceView[];
  records: DisplayRecord[];
  /** Every account, for admins (who may list them); empty for everyone else. */
  users: StaffUser[];
  live: LiveStatus;
  /** Why the last snapshot load failed, if it did. */
  loadError: ErrorCode | null;
  reload: () => Promise<void>;
  reloadDevices: () => Promise<void>;
  reloadTown: () => Promise<void>;
  reloadUsers: () => Promise<void>;
  /** Applies a notice the API just returned, before the broadcast arrives: every open page hears of it. */
  noticeChanged: NoticeListener;
  /** Calls `listener` with every changed notice until the returned function is called. */
  subscribe: (listener: NoticeListener) => () => void;
  /** Notice titles seen so far, by id (for display records). */
  titles: ReadonlyMap<string, string>;
  remember: (notices: readonly Notice[]) => void;
  /** A staff member's name for an id: the signed-in user, the staff list, a listed account, or the id itself. */
  nameOf: (userId: string) => string;
}

export function useAdminData(api: AdminApi, connect: ConnectLive, user: StaffUser): AdminData {
  const [town, setTown] = useState<TownInfo | null>(null);
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const devicesRef = useRef(devices);
  devicesRef.current = devices;
  const [records, setRecords] = useState<DisplayRecord[]>([]);
  const [users, setUsers] = useState<StaffUser[]>([]);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [loadError, setLoadError] = useState<ErrorCode | null>(null);
  const [settings, setSettings] = useState<TownSettings | null>(null);
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  const listeners = useRef(new Set<NoticeListener>());
  const admin = isAdmin(user);

  const reloadDevices = useCallback(async () => {
    const ack = await api.devices();
    if (ack.ok) setDevices(ack.data);
  }, [api]);

  const reloadRecords = useCallback(async () => {
    const ack = await api.records(100);
    // Merged, not replaced: a live batch that arrived while this request was out must stay in the list.
    if (ack.ok) setRecords((list) => prependRecords(list, ack.data));
  }, [api]);

  const reloadTown = useCallback(async () => {
    const ack = await api.town();
    if (ack.ok) setTown(ack.data);
  }, [api]);

  const reloadUsers = useCallback(async () => {
    if (!admin) return;
    const ack = await api.users();
    if (ack.ok) setUsers(ack.data);
  }, [api, admin]);

  const remember = useCallback((notices: readonly Notice[]) => {
    setTitles((known) => {
      if (notices.every((n) => known.get(n.id) === n.title)) return known;
      const next = new Map(known);
      for (const n of notices) next.set(n.id, n.title);
      return next;
    });
  }, []);

  const reload = useCallback(async () => {
    const [townAck, settingsAck, devicesAck, recordsAck, staffAck, usersAck] = await Promise.all([
      api.town(),
      api.settings(),
      api.devices(),
      api.records(100),
      api.staff(),
      admin ? api.users() : Promise.resolve(null),
    ]);
    if (townAck.ok) setTown(townAck.data);
    if (settingsAck.ok) setSettings(settingsAck.data);
    if (devicesAck.ok) setDevices(devicesAck.data);
    if (recordsAck.ok) setRecords(recordsAck.data);
    if (staffAck.ok) setStaff(staffAck.data);
    if (usersAck?.ok) setUsers(usersAck.data);
    const failed = [townAck, settingsAck, devicesAck, recordsAck, staffAck, usersAck].find((a) => a !== null && !a.ok);
    setLoadError(failed && !failed.ok ? failed.error : null);
  }, [api, admin]);

  const noticeChanged = useCallback(
    (notice: Notice) => {
      remember([notice]);
      for (const listener of listeners.current) listener(notice);
    },
    [remember],
  );

  const subscribe = useCallback((listener: NoticeListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  useEffect(() => {
    void reload();
    const link = connect({
      status(status) {
        setLive(status);
        // Snapshot after subscribing: whatever changed before the link was up is in the fresh lists.
        if (status === 'online') void reload();
      },
      noticeChanged,
      displaysRecorded(batch) {
        setRecords((list) => prependRecords(list, batch.records));
        // The controller left some of that second's records out (a storm): the list has a hole, fetch it again.
        if (batch.dropped > 0) void reloadRecords();
      },
      deviceChanged(device) {
        // A device we have not listed yet needs its kiosk URL, which only the list call gives.
        if (devicesRef.current.some((d) => d.id === device.id)) setDevices((list) => mergeById(list, device) ?? list);
        else void reloadDevices();
      },
    });
    return () => link.close();
  }, [connect, reload, reloadDevices, reloadRecords, noticeChanged]);

  const overrides = settings?.holidayOverrides;
  const calendar = useMemo(() => {
    try {
      return createHolidayCalendar(overrides ?? {});
    } catch {
      return createHolidayCalendar(); // the controller checks overrides when they are set; this is only a preview
    }
  }, [overrides]);

  const nameOf = useCallback(
    (userId: string): string => {
      if (userId === user.id) return user.displayName;
      return staff.find((s) => s.id === userId)?.displayName ?? users.find((u) => u.id === userId)?.displayName ?? userId;
    },
    [user, staff, users],
  );

  return useMemo(
    () => ({
      town,
      calendar,
      devices,
      records,
      users,
      live,
      loadError,
      reload,
      reloadDevices,
      reloadTown,
      reloadUsers,
      noticeChanged,
      subscribe,
      titles,
      remember,
      nameOf,
    }),
    [
      town,
      calendar,
      devices,
      records,
      users,
      live,
      loadError,
      reload,
      reloadDevices,
      reloadTown,
      reloadUsers,
      noticeChanged,
      subscribe,
      titles,
      remember,
      nameOf,
    ],
  );
}

/** Runs `listener` for every notice change while the component is mounted. */
export function useNoticeChanges(data: Pick<AdminData, 'subscribe'>, listener: NoticeListener): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => data.subscribe((notice) => latest.current(notice)), [data.subscribe]);
}
