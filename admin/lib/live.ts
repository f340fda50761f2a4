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
} from '@protocol';
import { io, type Socket } from 'socket.io-client';

export type LiveStatus = 'connecting' | 'online' | 'offline';

export interface LiveHandlers {
  status: (status: LiveStatus) => void;
  noticeChanged: (notice: Notice) => void;
  /** A batch of new display records (at most one a second). */
  displaysRecorded: (batch: DisplaysRecorded) => void;
  deviceChanged: (device: Device) => void;
  /** An admin changed this user's roles or villages: what the lists may hold changed with them. */
  accessChanged?: () => void;
}

export interface LiveLink {
  close: () => void;
}

export type ConnectLive = (handlers: LiveHandlers) => LiveLink;

export const connectLive: ConnectLive = (handlers) => {
  const socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = io(ADMIN_NAMESPACE, { transports: ['websocket'] });
  socket.on('connect', () => handlers.status('online'));
  socket.on('disconnect', () => handlers.status('offline'));
  socket.on('connect_error', () => handlers.status('offline'));
  socket.on('notice:changed', (notice) => handlers.noticeChanged(notice));
  socket.on('displays:recorded', (batch) => handlers.displaysRecorded(batch));
  socket.on('device:status-changed', (device) => handlers.deviceChanged(device));
  socket.on('access:changed', () => handlers.accessChanged?.());
  return { close: () => socket.close() };
};
