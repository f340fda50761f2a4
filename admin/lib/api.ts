/**
 * The controller's HTTP API as the admin's pages use it: named calls on the
 * typed client (client.ts), whose paths, parameters and answer types all come
 * from the contract's route table. Every call resolves with an {@link Ack}.
 */
import type { Ack } from '@protocol';
import { type ClientOptions, type JsonRoute, type RouteAnswer, type RouteBody, type RouteQuery, createClient } from './client';

export type { DeviceView, EmergencyAckView, NoticePage, PairedDevice, StaffMember, TownInfo, TownSettings } from '@protocol';
export { type RateLimited, isRateLimited, queryString } from './client';

/** `PUT /api/settings/devices`: both settings are sent together. */
export type DeviceSettings = RouteBody<'saveDeviceSettings'>;

/** `GET /api/notices` filters (the protocol's `listNoticesQuery`, with its numbers as numbers). */
export type NoticeQuery = RouteQuery<'notices'>;

type Answer<K extends JsonRoute> = Promise<Ack<RouteAnswer<K>>>;

export interface AdminApi {
  me: () => Answer<'me'>;
  login: (body: RouteBody<'login'>) => Answer<'login'>;
  logout: () => Answer<'logout'>;
  changePassword: (body: RouteBody<'changePassword'>) => Answer<'changePassword'>;

  /** `GET /api/health`: `degraded` with its problems (a full data disk) while the controller needs the operator. */
  health: () => Answer<'health'>;
  town: () => Answer<'town'>;
  settings: () => Answer<'settings'>;
  createVillage: (name: string) => Answer<'createVillage'>;
  renameVillage: (id: string, name: string) => Answer<'renameVillage'>;

  /** Everyone's name, for any signed-in user (unlike `users`, which is for admins). */
  staff: () => Answer<'staff'>;
  users: () => Answer<'users'>;
  createUser: (body: RouteBody<'createUser'>) => Answer<'createUser'>;
  updateUser: (id: string, body: RouteBody<'updateUser'>) => Answer<'updateUser'>;
  resetPassword: (id: string, newPassword: string) => Answer<'resetPassword'>;

  notices: (query?: NoticeQuery) => Answer<'notices'>;
  notice: (id: string) => Answer<'notice'>;
  createNotice: (body: RouteBody<'createNotice'>) => Answer<'createNotice'>;
  editNotice: (id: string, body: RouteBody<'editNotice'>) => Answer<'editNotice'>;
  maskNotice: (id: string) => Answer<'maskNotice'>;
  submitNotice: (id: string, privacyOverrideRequest?: string) => Answer<'submitNotice'>;
  approveNotice: (id: string, body: RouteBody<'approveNotice'>) => Answer<'approveNotice'>;
  rejectNotice: (id: string, reason: string) => Answer<'rejectNotice'>;
  withdrawNotice: (id: string, reason: string) => Answer<'withdrawNotice'>;
  /** 撤回提交: the version waiting for review goes back to draft. */
  recallNotice: (id: string) => Answer<'recallNotice'>;
  /** Warnings one reviewer published alone that wait for a second reviewer (reviewers only). */
  pendingConfirmations: () => Answer<'pendingConfirmations'>;
  /** A second reviewer confirms a fast-path warning's version, with an opinion. */
  confirmFastPath: (id: string, versionId: string, opinion: string) => Answer<'confirmFastPath'>;

  devices: () => Answer<'devices'>;
  createDevice: (body: RouteBody<'createDevice'>) => Answer<'createDevice'>;
  /** Staff type the code a new kiosk shows; the kiosk collects its token on its next claim. */
  pairDevice: (body: RouteBody<'pairDevice'>) => Answer<'pairDevice'>;
  updateDevice: (id: string, body: RouteBody<'updateDevice'>) => Answer<'updateDevice'>;
  revokeDevice: (id: string, reason: string) => Answer<'revokeDevice'>;
  saveDeviceSettings: (body: DeviceSettings) => Answer<'saveDeviceSettings'>;
  /** The address QR codes and kiosk links carry, and whether phones can open it. */
  publicUrl: () => Answer<'publicUrl'>;
  /** How long a warning holds a kiosk's whole screen, by level. */
  saveEmergencySettings: (body: RouteBody<'saveEmergencySettings'>) => Answer<'saveEmergencySettings'>;
  /** Which targeted kiosks have put a live emergency warning on screen. */
  emergencyAcks: (noticeId: string) => Answer<'emergencyAcks'>;
  records: (limit?: number) => Answer<'records'>;
}

export type HttpApiOptions = ClientOptions;

/**
 * @example
 * const api = createHttpApi({ onUnauthorized: () => showLogin() });
 * const ack = await api.notices({ state: 'pending_review' });
 * if (ack.ok) render(ack.data.items);
 */
export function createHttpApi(options: HttpApiOptions = {}): AdminApi {
  const { call } = createClient(options);
  const id = (value: string) => ({ id: value });
  return {
    me: () => call('me'),
    login: (body) => call('login', { body }),
    logout: () => call('logout', { body: {} }),
    changePassword: (body) => call('changePassword', { body }),

    health: () => call('health'),
    town: () => call('town'),
    settings: () => call('settings'),
    createVillage: (name) => call('createVillage', { body: { name } }),
    renameVillage: (villageId, name) => call('renameVillage', { params: id(villageId), body: { name } }),

    staff: () => call('staff'),
    users: () => call('users'),
    createUser: (body) => call('createUser', { body }),
    updateUser: (userId, body) => call('updateUser', { params: id(userId), body }),
    resetPassword: (userId, newPassword) => call('resetPassword', { params: id(userId), body: { newPassword } }),

    notices: (query = {}) => call('notices', { query }),
    notice: (noticeId) => call('notice', { params: id(noticeId) }),
    createNotice: (body) => call('createNotice', { body }),
    editNotice: (noticeId, body) => call('editNotice', { params: id(noticeId), body }),
    maskNotice: (noticeId) => call('maskNotice', { params: id(noticeId), body: {} }),
    submitNotice: (noticeId, privacyOverrideRequest) =>
      call('submitNotice', { params: id(noticeId), body: privacyOverrideRequest === undefined ? {} : { privacyOverrideRequest } }),
    approveNotice: (noticeId, body) => call('approveNotice', { params: id(noticeId), body }),
    rejectNotice: (noticeId, reason) => call('rejectNotice', { params: id(noticeId), body: { reason } }),
    withdrawNotice: (noticeId, reason) => call('withdrawNotice', { params: id(noticeId), body: { reason } }),
    recallNotice: (noticeId) => call('recallNotice', { params: id(noticeId), body: {} }),
    pendingConfirmations: () => call('pendingConfirmations'),
    confirmFastPath: (noticeId, versionId, opinion) => call('confirmFastPath', { params: id(noticeId), body: { versionId, opinion } }),

    devices: () => call('devices'),
    createDevice: (body) => call('createDevice', { body }),
    pairDevice: (body) => call('pairDevice', { body }),
    updateDevice: (deviceId, body) => call('updateDevice', { params: id(deviceId), body }),
    revokeDevice: (deviceId, reason) => call('revokeDevice', { params: id(deviceId), body: { reason } }),
    saveDeviceSettings: (body) => call('saveDeviceSettings', { body }),
    publicUrl: () => call('publicUrl'),
    saveEmergencySettings: (body) => call('saveEmergencySettings', { body }),
    emergencyAcks: (noticeId) => call('emergencyAcks', { params: id(noticeId) }),
    records: (limit = 100) => call('records', { query: { limit } }),
  };
}
