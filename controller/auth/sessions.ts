/**
 * Staff sessions: a 128-bit random id in an HttpOnly, SameSite=Strict cookie;
 * the server keeps only its SHA-256 with an expiry, so a stolen state file
 * does not yield live sessions.
 */
import { sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { StaffUser } from '../protocol/index.js';
import type { StateStore, UserRecord } from '../store/state.js';
import { randomToken, verifyPassword } from './passwords.js';

/** The session cookie's name over plain HTTP (a LAN without TLS). */
export const SESSION_COOKIE = 'gongshi_session';
/**
 * Its name over TLS. Browsers accept a `__Host-` cookie only with Secure, Path=/ and no Domain, so neither a
 * plain-HTTP page on the same host nor a sibling host can plant or overwrite the session a TLS page uses.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const SESSION_TTL_MS = 12 * 3600_000;

export function publicUser(user: UserRecord): StaffUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: [...user.roles],
    villageIds: [...user.villageIds],
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
  };
}

export interface Sessions {
  /** Checks the password; on success stores a new session and returns its id (for the cookie). */
  login(username: string, password: string): Promise<{ sessionId: string; user: StaffUser } | null>;
  logout(sessionId: string): Promise<void>;
  /** The user behind a session id, or null if unknown, expired or disabled. */
  resolve(sessionId: string | undefined): StaffUser | null;
  /** Ends every session of `userId` except `keep` (a session id hash), closing their admin sockets too. */
  endAllFor(userId: string, keep?: string): Promise<void>;
}

export function createSessions(deps: { store: StateStore; bus: EventBus; now: () => number }): Sessions {
  return {
    async login(username, password) {
      const user = deps.store.read().users.find((u) => u.username === username.trim() && !u.disabled);
      // Hash even for unknown users so timing does not reveal which names exist.
      const valid = await verifyPassword(
        password,
        user?.passwordHash ?? 'scrypt$17$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      );
      if (!user || !valid) return null;
      const sessionId = randomToken(16);
      const now = deps.now();
      await deps.store.update((s) => {
        s.sessions = s.sessions.filter((x) => x.expiresAt > now);
        s.sessions.push({ idHash: sha256Hex(sessionId), userId: user.id, createdAt: now, expiresAt: now + SESSION_TTL_MS });
      });
      return { sessionId, user: publicUser(user) };
    },

    async logout(sessionId) {
      const idHash = sha256Hex(sessionId);
      if (!deps.store.read().sessions.some((x) => x.idHash === idHash)) return;
      await deps.store.update((s) => {
        s.sessions = s.sessions.filter((x) => x.idHash !== idHash);
      });
      deps.bus.emit('session:ended', idHash);
    },

    async endAllFor(userId, keep) {
      const ended = deps.store.read().sessions.filter((x) => x.userId === userId && x.idHash !== keep);
      if (ended.length === 0) return;
      await deps.store.update((s) => {
        s.sessions = s.sessions.filter((x) => x.userId !== userId || x.idHash === keep);
      });
      for (const session of ended) deps.bus.emit('session:ended', session.idHash);
    },

    resolve(sessionId) {
      if (!sessionId) return null;
      const state = deps.store.read();
      const idHash = sha256Hex(sessionId);
      const session = state.sessions.find((x) => x.idHash === idHash);
      if (!session || session.expiresAt <= deps.now()) return null;
      const user = state.users.find((u) => u.id === session.userId && !u.disabled);
      return user ? publicUser(user) : null;
    },
  };
}

/** The session cookie's name for a request that came over TLS (`secure`) or not. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session id a request carries under its scheme's cookie name; the other scheme's name is not accepted. */
export function readSessionId(cookieHeader: string | undefined, secure: boolean): string | undefined {
  return readCookie(cookieHeader, sessionCookieName(secure));
}

/** Reads one cookie from a Cookie header without a dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
