/**
 * Live updates for staff over socket.io `/admin` (the session cookie
 * authenticates). The only admin module that imports socket.io-client.
 */
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type Device,
  type DisplaysRecorded,
  type Notice,
  type Role,
  SESSION_END_REASONS,
  type SessionEndReason,
} from '@protocol';
import { io, type Socket } from 'socket.io-client';

export type LiveStatus = 'connecting' | 'online' | 'offline';

export interface LiveHandlers {
  status: (status: LiveStatus) => void;
  noticeChanged: (notice: Notice) => void;
  /** A batch of new display records (at most one a second). */
  displaysRecorded: (batch: DisplaysRecorded) => void;
  deviceChanged: (device: Device) => void;
  /** An admin changed this user's roles or villages (as now given): what the lists and menus may hold changed with them. */
  accessChanged?: (access: { roles: Role[]; villageIds: string[] }) => void;
  /**
   * The controller closed the link because the session ended, and why (`session:ended`), or null when it closed
   * it without saying: the app asks whether it is still signed in.
   */
  sessionEnded?: (reason: SessionEndReason | null) => void;
}

export interface LiveLink {
  close: () => void;
}

export type ConnectLive = (handlers: LiveHandlers) => LiveLink;

export const connectLive: ConnectLive = (handlers) => {
  const socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = io(ADMIN_NAMESPACE, { transports: ['websocket'] });
  let ended: SessionEndReason | null = null;
  socket.on('connect', () => handlers.status('online'));
  socket.on('disconnect', (reason) => {
    handlers.status('offline');
    // Only the controller's own close ends a session; a lost network reconnects by itself.
    if (reason === 'io server disconnect') handlers.sessionEnded?.(ended);
  });
  socket.on('session:ended', (why) => {
    const reason: unknown = why?.reason;
    ended = SESSION_END_REASONS.find((r) => r === reason) ?? null;
  });
  socket.on('connect_error', () => handlers.status('offline'));
  socket.on('notice:changed', (notice) => handlers.noticeChanged(notice));
  socket.on('displays:recorded', (batch) => handlers.displaysRecorded(batch));
  socket.on('device:status-changed', (device) => handlers.deviceChanged(device));
  socket.on('access:changed', (access) => {
    if (Array.isArray(access?.roles) && Array.isArray(access.villageIds))
      handlers.accessChanged?.({ roles: access.roles, villageIds: access.villageIds });
  });
  return { close: () => socket.close() };
};
