/**
 * The controller's LED sign API as typed functions (kept apart from
 * {@link AdminApi}, like the reports API, so the signs page brings its own
 * calls). Every call resolves with an {@link Ack}.
 */
import { type Ack, type SignFrameView, type SignProfile, type SignProfileInput, type SignView, fail } from '@protocol';

export interface SignsApi {
  list(): Promise<Ack<SignView[]>>;
  frame(id: string): Promise<Ack<SignFrameView>>;
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
    frame: (id) => request('GET', at(id, 'frame')),
    testPattern: (id) => request('POST', at(id, 'test-pattern')),
    brightness: (id, level) => request('POST', at(id, 'brightness'), { level }),
    power: (id, on) => request('POST', at(id, 'power'), { on }),
    clear: (id) => request('POST', at(id, 'clear')),
    resend: (id) => request('POST', at(id, 'resend')),
    profiles: () => request('GET', '/api/signs/profiles'),
    create: (profile) => request('POST', '/api/signs', profile),
    saveProfile: (id, profile) => request('PUT', at(id, 'profile'), profile),
    remove: (id) => request('DELETE', `/api/signs/${encodeURIComponent(id)}`),
  };
}
