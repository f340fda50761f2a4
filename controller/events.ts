/**
 * In-process domain events: services announce what changed, the realtime
 * layer turns it into socket.io broadcasts. Keeps services free of sockets.
 */
import { EventEmitter } from 'node:events';
import type { Device, DisplayRecord, Notice, SessionEndReason } from './protocol/index.js';

export interface DomainEvents {
  'notice:changed': [notice: Notice];
  'display:recorded': [record: DisplayRecord];
  'device:status-changed': [device: Device];
  /** Something that feeds playlists changed (a notice was approved or withdrawn, a device moved village…). */
  'playlists:stale': [];
  /** Staff revoked a device: its open connections must close now. */
  'device:revoked': [deviceId: string, reason: string];
  /** A staff session ended (logout, account disabled, password replaced…); its live admin sockets are told why and close. */
  'session:ended': [sessionIdHash: string, reason: SessionEndReason];
  /** An admin changed a staff account (roles, villages, disabled): its live admin sockets take the new access now. */
  'user:changed': [userId: string];
}

export type EventBus = EventEmitter<DomainEvents>;

export function createEventBus(): EventBus {
  return new EventEmitter<DomainEvents>();
}
