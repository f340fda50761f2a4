/**
 * The controller's HTTP API as typed functions. Every call resolves with an
 * {@link Ack}; network failures and non-JSON answers become `unavailable`
 * failures, so callers handle one shape.
 */
import {
  type Ack,
  type CreateDeviceRequest,
  type CreateNoticeRequest,
  type DeviceView,
  type DisplayRecord,
  type LoginRequest,
  type Notice,
  type PairedDevice,
  type StaffUser,
  type TownInfo,
  fail,
} from '@protocol';

export type { DeviceView, PairedDevice, TownInfo } from '@protocol';

export interface AdminApi {
  me: () => Promise<Ack<StaffUser>>;
  login: (body: LoginRequest) => Promise<Ack<StaffUser>>;
  logout: () => Promise<Ack<null>>;
  town: () => Promise<Ack<TownInfo>>;
  notices: () => Promise<Ack<Notice[]>>;
  createNotice: (body: CreateNoticeRequest) => Promise<Ack<Notice>>;
  submitNotice: (id: string) => Promise<Ack<Notice>>;
  approveNotice: (id: string) => Promise<Ack<Notice>>;
  devices: () => Promise<Ack<DeviceView[]>>;
  createDevice: (body: CreateDeviceRequest) => Promise<Ack<PairedDevice>>;
  records: (limit?: number) => Promise<Ack<DisplayRecord[]>>;
}

export interface HttpApiOptions {
  fetch?: typeof fetch;
  /** Called when a signed-in call comes back `unauthorized` (the session ended). */
  onUnauthorized?: () => void;
}

const isAck = (value: unknown): value is Ack<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/**
 * @example
 * const api = createHttpApi({ onUnauthorized: () => showLogin() });
 * const ack = await api.notices();
 * if (ack.ok) render(ack.data);
 */
export function createHttpApi(options: HttpApiOptions = {}): AdminApi {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Ack<T>> {
    let response: Response;
    try {
      response = await fetchFn(path, {
        method,
        credentials: 'same-origin',
        headers: method === 'POST' ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
        body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
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
    return json as Ack<T>;
  }

  async function signedIn<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Ack<T>> {
    const ack = await request<T>(method, path, body);
    if (!ack.ok && ack.error === 'unauthorized') options.onUnauthorized?.();
    return ack;
  }

  const id = encodeURIComponent;
  return {
    me: () => request('GET', '/api/auth/me'),
    login: (body) => request('POST', '/api/auth/login', body),
    logout: () => request('POST', '/api/auth/logout', {}),
    town: () => signedIn('GET', '/api/town'),
    notices: () => signedIn('GET', '/api/notices'),
    createNotice: (body) => signedIn('POST', '/api/notices', body),
    submitNotice: (noticeId) => signedIn('POST', `/api/notices/${id(noticeId)}/submit`, {}),
    approveNotice: (noticeId) => signedIn('POST', `/api/notices/${id(noticeId)}/approve`, {}),
    devices: () => signedIn('GET', '/api/devices'),
    createDevice: (body) => signedIn('POST', '/api/devices', body),
    records: (limit = 100) => signedIn('GET', `/api/records?limit=${limit}`),
  };
}
