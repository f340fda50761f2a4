/**
 * The controller's LED sign API as typed functions (kept apart from
 * {@link AdminApi}, like the reports API, so the signs page brings its own
 * calls). Every call resolves with an {@link Ack}. The live view is pushed
 * over socket.io `/admin` (`signs:watch`), never polled.
 */
import {
  ADMIN_NAMESPACE,
  type Ack,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type BrightnessRequest,
  type CheckTextRequest,
  type NoticeTarget,
  type PowerRequest,
  type SignFrameView,
  type SignProfile,
  type SignProfileInput,
  type SignTextCheck,
  type SignView,
  type SignsSnapshot,
  fail,
} from '@protocol';
import { io, type Socket } from 'socket.io-client';

/** What the signs page hears while it is open. */
export interface SignsLiveHandlers {
  /** Every sign and what it shows, on each (re)connect. */
  snapshot(snapshot: SignsSnapshot): void;
  status(sign: SignView): void;
  frame(id: string, frame: SignFrameView): void;
  removed(id: string): void;
  offline(): void;
}

export interface SignsApi {
  list(): Promise<Ack<SignView[]>>;
  /** Pushes of the signs' state and dot matrices until the returned function is called. */
  watch(handlers: SignsLiveHandlers): () => void;
  /** The LED text against the font of every sign `target` reaches. */
  checkText(text: string, target: NoticeTarget): Promise<Ack<SignTextCheck[]>>;
  testPattern(id: string): Promise<Ack<SignView>>;
  brightness(id: string, level: number): Promise<Ack<SignView>>;
  power(id: string, on: boolean): Promise<Ack<SignView>>;
  clear(id: string): Promise<Ack<SignView>>;
  resend(id: string): Promise<Ack<SignView>>;
  /** The saved profiles (admin only); the demo's emulated signs have none. */
  profiles(): Promise<Ack<SignProfile[]>>;
  /** `POST /api/signs`: a new sign with its profile. */
  create(profile: SignProfileInput): Promise<Ack<SignProfile>>;
  /** `PUT /api/signs/:id/profile`: replaces a saved sign's profile. */
  saveProfile(id: string, profile: SignProfileInput): Promise<Ack<SignProfile>>;
  /** `DELETE /api/signs/:id`. */
  remove(id: string): Promise<Ack<{ id: string }>>;
}

export function createSignsApi(fetchFn: typeof fetch = (input, init) => fetch(input, init)): SignsApi {
  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Ack<T>> {
    const hasBody = method === 'POST' || method === 'PUT';
    try {
      const response = await fetchFn(path, {
        method,
        credentials: 'same-origin',
        headers: hasBody ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
        body: hasBody ? JSON.stringify(body ?? {}) : undefined,
      });
      // The controller owns this contract (controller/http/signs.ts): its JSON bodies are Ack<T>.
      return (await response.json()) as Ack<T>;
    } catch {
      return fail('unavailable', 'the controller cannot be reached');
    }
  }
  const at = (id: string, action: string) => `/api/signs/${encodeURIComponent(id)}/${action}`;
  return {
    list: () => request('GET', '/api/signs'),
    watch: watchSigns,
    checkText: (text, target) => request('POST', '/api/signs/check-text', { text, target } satisfies CheckTextRequest),
    testPattern: (id) => request('POST', at(id, 'test-pattern')),
    brightness: (id, level) => request('POST', at(id, 'brightness'), { level } satisfies BrightnessRequest),
    power: (id, on) => request('POST', at(id, 'power'), { on } satisfies PowerRequest),
    clear: (id) => request('POST', at(id, 'clear')),
    resend: (id) => request('POST', at(id, 'resend')),
    profiles: () => request('GET', '/api/signs/profiles'),
    create: (profile) => request('POST', '/api/signs', profile),
    saveProfile: (id, profile) => request('PUT', at(id, 'profile'), profile),
    remove: (id) => request('DELETE', `/api/signs/${encodeURIComponent(id)}`),
  };
}

/** A socket of its own while the signs page is open; on every (re)connect it asks to watch again (rooms do not survive). */
function watchSigns(handlers: SignsLiveHandlers): () => void {
  const socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = io(ADMIN_NAMESPACE, { transports: ['websocket'] });
  socket.on('connect', () => {
    socket.emit('signs:watch', {}, (ack) => {
      if (ack.ok) handlers.snapshot(ack.data);
    });
  });
  socket.on('disconnect', () => handlers.offline());
  socket.on('sign:status-changed', (sign) => handlers.status(sign));
  socket.on('sign:frame-changed', ({ id, frame }) => handlers.frame(id, frame));
  socket.on('sign:removed', ({ id }) => handlers.removed(id));
  return () => socket.close();
}
