/**
 * The controller's LED sign API as typed functions (kept apart from
 * {@link AdminApi}, like the reports API, so the signs page brings its own
 * calls), on the typed client (client.ts) and its route table. Every call
 * resolves with an {@link Ack}. The live view is pushed over socket.io
 * `/admin` (`signs:watch`), never polled.
 */
import {
  ADMIN_NAMESPACE,
  type Ack,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type NoticeTarget,
  type SignFrameView,
  type SignProfileInput,
  type SignView,
  type SignsSnapshot,
} from '@protocol';
import { io, type Socket } from 'socket.io-client';
import { type JsonRoute, type RouteAnswer, createClient } from './client';

/** What the signs page hears while it is open. */
export interface SignsLiveHandlers {
  /** Every sign and what it shows, on each (re)connect. */
  snapshot(snapshot: SignsSnapshot): void;
  status(sign: SignView): void;
  frame(id: string, frame: SignFrameView): void;
  removed(id: string): void;
  offline(): void;
}

type Answer<K extends JsonRoute> = Promise<Ack<RouteAnswer<K>>>;

export interface SignsApi {
  list(): Answer<'signs'>;
  /** Pushes of the signs' state and dot matrices until the returned function is called. */
  watch(handlers: SignsLiveHandlers): () => void;
  /** The LED text against the font of every sign `target` reaches. */
  checkText(text: string, target: NoticeTarget): Answer<'checkSignText'>;
  testPattern(id: string): Answer<'signTestPattern'>;
  brightness(id: string, level: number): Answer<'signBrightness'>;
  power(id: string, on: boolean): Answer<'signPower'>;
  clear(id: string): Answer<'signClear'>;
  resend(id: string): Answer<'signResend'>;
  /** The saved profiles (admin only); the demo's emulated signs have none. */
  profiles(): Answer<'signProfiles'>;
  /** `POST /api/signs`: a new sign with its profile. */
  create(profile: SignProfileInput): Answer<'createSign'>;
  /** `PUT /api/signs/:id/profile`: replaces a saved sign's profile. */
  saveProfile(id: string, profile: SignProfileInput): Answer<'saveSignProfile'>;
  /** `DELETE /api/signs/:id`. */
  remove(id: string): Answer<'removeSign'>;
}

export function createSignsApi(fetchFn: typeof fetch = (input, init) => fetch(input, init)): SignsApi {
  const { call } = createClient({ fetch: fetchFn });
  const sign = (id: string) => ({ id });
  return {
    list: () => call('signs'),
    watch: watchSigns,
    checkText: (text, target) => call('checkSignText', { body: { text, target } }),
    testPattern: (id) => call('signTestPattern', { params: sign(id), body: {} }),
    brightness: (id, level) => call('signBrightness', { params: sign(id), body: { level } }),
    power: (id, on) => call('signPower', { params: sign(id), body: { on } }),
    clear: (id) => call('signClear', { params: sign(id), body: {} }),
    resend: (id) => call('signResend', { params: sign(id), body: {} }),
    profiles: () => call('signProfiles'),
    create: (profile) => call('createSign', { body: profile }),
    saveProfile: (id, profile) => call('saveSignProfile', { params: sign(id), body: profile }),
    remove: (id) => call('removeSign', { params: sign(id) }),
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
