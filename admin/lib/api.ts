/**
 * The controller's HTTP API as typed functions. Every call resolves with an
 * {@link Ack}; network failures and non-JSON answers become `unavailable`
 * failures, so callers handle one shape.
 */
import {
  type Ack,
  type ApproveNoticeRequest,
  type ChangePasswordRequest,
  type CreateDeviceRequest,
  type CreateNoticeRequest,
  type CreateUserRequest,
  type DeviceView,
  type DisplayRecord,
  type EditNoticeRequest,
  type EmergencyAckView,
  type Failure,
  type Health,
  type CategoryCode,
  type NoticeState,
  type LoginRequest,
  type Notice,
  type NoticePage,
  type PairDeviceRequest,
  type PairedDevice,
  type PendingConfirmation,
  type StaffMember,
  type StaffUser,
  type TownInfo,
  type TownSettings,
  type PublicUrlCheck,
  type EmergencySettingsRequest,
  type UpdateDeviceRequest,
  type UpdateUserRequest,
  type Village,
  fail,
} from '@protocol';

export type { DeviceView, EmergencyAckView, NoticePage, PairedDevice, StaffMember, TownInfo, TownSettings } from '@protocol';

/** `PUT /api/settings/devices`: both settings are sent together. */
export interface DeviceSettings {
  offlineAlertMinutes: number;
  rotationBoundsSec: { min: number; max: number };
}

/** `GET /api/notices` filters (the protocol's `listNoticesQuery`, with its numbers as numbers). */
export interface NoticeQuery {
  state?: NoticeState;
  category?: CategoryCode;
  villageId?: string;
  /** YYYY-MM-DD, by last change. */
  from?: string;
  to?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** A refusal of a sign-in after too many failures, with the wait the controller asked for (`Retry-After`). */
export interface RateLimited extends Failure {
  error: 'rate_limited';
  retryAfterSec: number;
}

export function isRateLimited(failure: Failure | null): failure is RateLimited {
  return failure !== null && failure.error === 'rate_limited' && typeof (failure as Partial<RateLimited>).retryAfterSec === 'number';
}

export interface AdminApi {
  me: () => Promise<Ack<StaffUser>>;
  login: (body: LoginRequest) => Promise<Ack<StaffUser>>;
  logout: () => Promise<Ack<null>>;
  changePassword: (body: ChangePasswordRequest) => Promise<Ack<StaffUser>>;

  /** `GET /api/health`: `degraded` with its problems (a full data disk) while the controller needs the operator. */
  health: () => Promise<Ack<Health>>;
  town: () => Promise<Ack<TownInfo>>;
  settings: () => Promise<Ack<TownSettings>>;
  createVillage: (name: string) => Promise<Ack<Village>>;
  renameVillage: (id: string, name: string) => Promise<Ack<Village>>;

  /** Everyone's name, for any signed-in user (unlike `users`, which is for admins). */
  staff: () => Promise<Ack<StaffMember[]>>;
  users: () => Promise<Ack<StaffUser[]>>;
  createUser: (body: CreateUserRequest) => Promise<Ack<StaffUser>>;
  updateUser: (id: string, body: UpdateUserRequest) => Promise<Ack<StaffUser>>;
  resetPassword: (id: string, newPassword: string) => Promise<Ack<StaffUser>>;

  notices: (query?: NoticeQuery) => Promise<Ack<NoticePage>>;
  notice: (id: string) => Promise<Ack<Notice>>;
  createNotice: (body: CreateNoticeRequest) => Promise<Ack<Notice>>;
  editNotice: (id: string, body: EditNoticeRequest) => Promise<Ack<Notice>>;
  maskNotice: (id: string) => Promise<Ack<Notice>>;
  submitNotice: (id: string, privacyOverrideRequest?: string) => Promise<Ack<Notice>>;
  approveNotice: (id: string, body: ApproveNoticeRequest) => Promise<Ack<Notice>>;
  rejectNotice: (id: string, reason: string) => Promise<Ack<Notice>>;
  withdrawNotice: (id: string, reason: string) => Promise<Ack<Notice>>;
  /** 撤回提交: the version waiting for review goes back to draft. */
  recallNotice: (id: string) => Promise<Ack<Notice>>;
  /** Warnings one reviewer published alone that wait for a second reviewer (reviewers only). */
  pendingConfirmations: () => Promise<Ack<PendingConfirmation[]>>;
  /** A second reviewer confirms a fast-path warning's version, with an opinion. */
  confirmFastPath: (id: string, versionId: string, opinion: string) => Promise<Ack<Notice>>;

  devices: () => Promise<Ack<DeviceView[]>>;
  createDevice: (body: CreateDeviceRequest) => Promise<Ack<PairedDevice>>;
  /** Staff type the code a new kiosk shows; the kiosk collects its token on its next claim. */
  pairDevice: (body: PairDeviceRequest) => Promise<Ack<DeviceView>>;
  updateDevice: (id: string, body: UpdateDeviceRequest) => Promise<Ack<DeviceView>>;
  revokeDevice: (id: string, reason: string) => Promise<Ack<DeviceView>>;
  saveDeviceSettings: (body: DeviceSettings) => Promise<Ack<TownSettings>>;
  /** The address QR codes and kiosk links carry, and whether phones can open it. */
  publicUrl: () => Promise<Ack<PublicUrlCheck>>;
  /** How long a warning holds a kiosk's whole screen, by level. */
  saveEmergencySettings: (body: EmergencySettingsRequest) => Promise<Ack<TownSettings>>;
  /** Which targeted kiosks have put a live emergency warning on screen. */
  emergencyAcks: (noticeId: string) => Promise<Ack<EmergencyAckView>>;
  records: (limit?: number) => Promise<Ack<DisplayRecord[]>>;
}

export interface HttpApiOptions {
  fetch?: typeof fetch;
  /** Called when a signed-in call comes back `unauthorized` (the session ended). */
  onUnauthorized?: () => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

const isAck = (value: unknown): value is Ack<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/** `?state=draft&page=2`, leaving out empty values. */
export function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * @example
 * const api = createHttpApi({ onUnauthorized: () => showLogin() });
 * const ack = await api.notices({ state: 'pending_review' });
 * if (ack.ok) render(ack.data.items);
 */
export function createHttpApi(options: HttpApiOptions = {}): AdminApi {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(method: Method, path: string, body?: unknown): Promise<Ack<T>> {
    const hasBody = method !== 'GET';
    let response: Response;
    try {
      response = await fetchFn(path, {
        method,
        credentials: 'same-origin',
        headers: hasBody ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
        body: hasBody ? JSON.stringify(body ?? {}) : undefined,
      });
    } catch {
      return fail('unavailable', 'the controller cannot be reached');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    if (!isAck(json))
      return fail(
        response.status === 401 ? 'unauthorized' : 'unavailable',
        `unexpected answer from the controller (HTTP ${response.status})`,
      );
    // The controller owns this contract (controller/http): its JSON bodies are Ack<T>.
    const ack = json as Ack<T>;
    if (!ack.ok && ack.error === 'rate_limited') {
      const retryAfterSec = Number(response.headers.get('retry-after') ?? '');
      if (Number.isFinite(retryAfterSec) && retryAfterSec > 0) {
        const limited: RateLimited = { ...ack, error: 'rate_limited', retryAfterSec };
        return limited;
      }
    }
    return ack;
  }

  async function signedIn<T>(method: Method, path: string, body?: unknown): Promise<Ack<T>> {
    const ack = await request<T>(method, path, body);
    if (!ack.ok && ack.error === 'unauthorized') options.onUnauthorized?.();
    return ack;
  }

  const id = encodeURIComponent;
  const notice = (noticeId: string, action: string): string => `/api/notices/${id(noticeId)}/${action}`;
  return {
    me: () => request('GET', '/api/auth/me'),
    login: (body) => request('POST', '/api/auth/login', body),
    logout: () => request('POST', '/api/auth/logout', {}),
    changePassword: (body) => signedIn('POST', '/api/auth/password', body),

    health: () => request('GET', '/api/health'),
    town: () => signedIn('GET', '/api/town'),
    settings: () => signedIn('GET', '/api/settings'),
    createVillage: (name) => signedIn('POST', '/api/villages', { name }),
    renameVillage: (villageId, name) => signedIn('PATCH', `/api/villages/${id(villageId)}`, { name }),

    staff: () => signedIn('GET', '/api/staff'),
    users: () => signedIn('GET', '/api/users'),
    createUser: (body) => signedIn('POST', '/api/users', body),
    updateUser: (userId, body) => signedIn('PATCH', `/api/users/${id(userId)}`, body),
    resetPassword: (userId, newPassword) => signedIn('POST', `/api/users/${id(userId)}/reset-password`, { newPassword }),

    notices: (query = {}) => signedIn('GET', `/api/notices${queryString(query)}`),
    notice: (noticeId) => signedIn('GET', `/api/notices/${id(noticeId)}`),
    createNotice: (body) => signedIn('POST', '/api/notices', body),
    editNotice: (noticeId, body) => signedIn('PUT', notice(noticeId, 'draft'), body),
    maskNotice: (noticeId) => signedIn('POST', notice(noticeId, 'mask'), {}),
    submitNotice: (noticeId, privacyOverrideRequest) =>
      signedIn('POST', notice(noticeId, 'submit'), privacyOverrideRequest === undefined ? {} : { privacyOverrideRequest }),
    approveNotice: (noticeId, body) => signedIn('POST', notice(noticeId, 'approve'), body),
    rejectNotice: (noticeId, reason) => signedIn('POST', notice(noticeId, 'reject'), { reason }),
    withdrawNotice: (noticeId, reason) => signedIn('POST', notice(noticeId, 'withdraw'), { reason }),
    recallNotice: (noticeId) => signedIn('POST', notice(noticeId, 'recall'), {}),
    pendingConfirmations: () => signedIn('GET', '/api/fast-path/pending'),
    confirmFastPath: (noticeId, versionId, opinion) => signedIn('POST', notice(noticeId, 'confirm'), { versionId, opinion }),

    devices: () => signedIn('GET', '/api/devices'),
    createDevice: (body) => signedIn('POST', '/api/devices', body),
    pairDevice: (body) => signedIn('POST', '/api/devices/pair', body),
    updateDevice: (deviceId, body) => signedIn('PATCH', `/api/devices/${id(deviceId)}`, body),
    revokeDevice: (deviceId, reason) => signedIn('POST', `/api/devices/${id(deviceId)}/revoke`, { reason }),
    saveDeviceSettings: (body) => signedIn('PUT', '/api/settings/devices', body),
    publicUrl: () => signedIn('GET', '/api/devices/public-url'),
    saveEmergencySettings: (body) => signedIn('PUT', '/api/settings/emergency', body),
    emergencyAcks: (noticeId) => signedIn('GET', notice(noticeId, 'emergency-acks')),
    records: (limit = 100) => signedIn('GET', `/api/records?limit=${limit}`),
  };
}
