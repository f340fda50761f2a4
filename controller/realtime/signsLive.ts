/**
 * The signs page's live view over `/admin`, without polling: a staff socket
 * sends `signs:watch` and gets every sign and its dot matrix, then pushes —
 * `sign:status-changed` when a sign's link, counters or content change and
 * `sign:frame-changed` when what it shows changes (a page turns, a scroll
 * moves) — each coalesced to at most one a second per sign, the newest, and
 * only to the sockets in the watchers' room (staff sockets: the namespace
 * admits only sessions, and the access table guards both events). Nothing is
 * rendered while nobody watches. A watcher limited to villages (domain/villageScope.ts)
 * gets their villages' signs only, in the snapshot and in the pushes.
 */
import type { Socket } from 'socket.io';
import { type AdminServerToClientEvents, type SignFrameView, emptyRequest, invalidPayload, ok } from '../protocol/index.js';
import type { SignsService } from '../services/signs.js';
import { type VillageScope, withinScope } from '../domain/villageScope.js';
import { createCoalescer } from './coalesce.js';

export const SIGN_WATCHERS_ROOM = 'sign-watchers';
/** Town-wide watchers see every sign; a watcher limited to villages is in one room per village of theirs. */
const TOWN_WATCHERS = `${SIGN_WATCHERS_ROOM}:town`;
const villageWatchers = (villageId: string): string => `${SIGN_WATCHERS_ROOM}:village:${villageId}`;
/** At most one status and one frame a second per sign. */
export const SIGN_PUSH_MS = 1_000;

type Emitter = { emit<E extends keyof AdminServerToClientEvents>(event: E, ...args: Parameters<AdminServerToClientEvents[E]>): boolean };

export interface SignsLiveDeps {
  signs: Pick<SignsService, 'list' | 'view' | 'frame' | 'onChange'>;
  /** The namespace's sockets in any of these rooms. */
  room: (rooms: string[]) => Emitter;
  /** How many sockets watch now. */
  watchers: () => number;
}

const frameKey = (f: SignFrameView): string => `${f.rows?.join('') ?? ''}|${f.text.join('\n')}`;

/** The watcher rooms of a scope: every sign's, or one per village. */
const watcherRooms = (scope: VillageScope): string[] => (scope === null ? [TOWN_WATCHERS] : scope.map(villageWatchers));

export interface SignsLive {
  /** Serves `signs:watch` and `signs:unwatch` on `socket`, for the scope it has when it asks (`scope()`). */
  handle(socket: Socket, scope: () => VillageScope): void;
  /** Moves a watching socket to the rooms of its new scope (its user's villages changed); nothing if it does not watch. */
  rescope(socket: Socket, from: VillageScope, to: VillageScope): void;
  stop(): void;
}

export function createSignsLive(deps: SignsLiveDeps): SignsLive {
  const lastFrames = new Map<string, string>();
  // The signs that changed in the last second; what they are now is read when the second is over.
  const changed = createCoalescer<string>({
    intervalMs: SIGN_PUSH_MS,
    key: (id) => id,
    flush: (ids) => {
      if (deps.watchers() === 0) return;
      for (const id of ids) {
        const view = deps.signs.view(id);
        if (view) deps.room([TOWN_WATCHERS, villageWatchers(view.villageId)]).emit('sign:status-changed', view);
        else {
          lastFrames.delete(id);
          deps.room([SIGN_WATCHERS_ROOM]).emit('sign:removed', { id });
        }
      }
    },
  });
  const offChange = deps.signs.onChange((id) => changed.push(id));

  /** Once a second while someone watches: the frames that differ from the last ones sent. */
  const frames = setInterval(() => {
    if (deps.watchers() === 0) {
      lastFrames.clear();
      return;
    }
    for (const sign of deps.signs.list()) {
      const frame = deps.signs.frame(sign.id);
      if (!frame) continue;
      const key = frameKey(frame);
      if (lastFrames.get(sign.id) === key) continue;
      lastFrames.set(sign.id, key);
      deps.room([TOWN_WATCHERS, villageWatchers(sign.villageId)]).emit('sign:frame-changed', { id: sign.id, frame });
    }
  }, SIGN_PUSH_MS);
  frames.unref();

  return {
    handle(socket, scopeNow) {
      socket.on('signs:watch', (query: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const parsed = emptyRequest.safeParse(query ?? {});
        if (!parsed.success) return (ack as (a: unknown) => void)(invalidPayload(parsed.error));
        const scope = scopeNow();
        void socket.join([SIGN_WATCHERS_ROOM, ...watcherRooms(scope)]);
        const signs = withinScope(scope, deps.signs.list(), (s) => s.villageId);
        const snapshot: Record<string, SignFrameView> = {};
        for (const sign of signs) {
          const frame = deps.signs.frame(sign.id);
          if (frame) snapshot[sign.id] = frame;
        }
        (ack as (a: unknown) => void)(ok({ signs, frames: snapshot }));
      });
      socket.on('signs:unwatch', (query: unknown, ack: unknown) => {
        const parsed = emptyRequest.safeParse(query ?? {});
        if (!parsed.success) {
          if (typeof ack === 'function') (ack as (a: unknown) => void)(invalidPayload(parsed.error));
          return;
        }
        for (const room of [...socket.rooms]) if (room.startsWith(SIGN_WATCHERS_ROOM)) void socket.leave(room);
        if (typeof ack === 'function') (ack as (a: unknown) => void)(ok(null));
      });
    },
    rescope(socket, from, to) {
      if (!socket.rooms.has(SIGN_WATCHERS_ROOM)) return;
      const next = watcherRooms(to);
      for (const room of watcherRooms(from)) if (!next.includes(room)) void socket.leave(room);
      void socket.join(next);
    },
    stop() {
      offChange();
      clearInterval(frames);
      changed.stop();
    },
  };
}
