/**
 * Staff sessions: a 128-bit random id in an HttpOnly, SameSite=Strict cookie;
 * the server keeps only its SHA-256 with an expiry, so a stolen state file
 * does not yield live sessions.
 */
import { sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { FailedSignIns, SessionEndReason, StaffUser } from '../protocol/index.js';
import { isDiskFull } from '../ops/diskWatch.js';
import type { SessionRecord, StateStore, UserRecord } from '../store/state.js';
import { PASSWORD_COST, randomToken, unmatchableHash, verifyPassword } from './passwords.js';

/** The session cookie's name over plain HTTP (a LAN without TLS). */
export const SESSION_COOKIE = 'gongshi_session';
/**
 * Its name over TLS. Browsers accept a `__Host-` cookie only with Secure, Path=/ and no Domain, so neither a
 * plain-HTTP page on the same host nor a sibling host can plant or overwrite the session a TLS page uses.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const SESSION_TTL_MS = 12 * 3600_000;
/** Sessions one user may hold at once; a new sign-in ends the oldest beyond this. */
export const MAX_SESSIONS_PER_USER = 10;
/** Client cookies remembered per user (signInGuard.ts). */
export const MAX_KNOWN_CLIENTS = 10;
/** The client cookie: marks a browser that signed in before, so the address lock does not hold it. */
export const CLIENT_COOKIE = 'gongshi_client';
export const CLIENT_COOKIE_MAX_AGE_MS = 400 * 24 * 3600_000;

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

export interface LoginExtras {
  /** SHA-256 of the client cookie to remember for this account. */
  clientHash?: string;
  /** Failed sign-ins to tell the user in this session. */
  failedSignIns?: FailedSignIns | null;
}

export interface Sessions {
  /**
   * Checks the password; on success stores a new session (ending the user's oldest beyond
   * {@link MAX_SESSIONS_PER_USER}) and returns its id (for the cookie).
   */
  login(username: string, password: string, extras?: LoginExtras): Promise<{ sessionId: string; user: StaffUser } | null>;
  /** Whether a browser with this client cookie hash signed in to `username` before. */
  knowsClient(username: string, clientHash: string): boolean;
  logout(sessionId: string): Promise<void>;
  /** The user behind a session id, or null if unknown, expired or disabled. */
  resolve(sessionId: string | undefined): StaffUser | null;
  /** When a session ends by itself (its sign-in plus {@link SESSION_TTL_MS}), or null if the id is unknown. */
  expiresAt(sessionId: string | undefined): number | null;
  /** Ends every session of `userId` except `keep` (a session id hash), closing their admin sockets too, for `reason`. */
  endAllFor(userId: string, reason: SessionEndReason, keep?: string): Promise<void>;
}

export function createSessions(deps: {
  store: StateStore;
  bus: EventBus;
  now: () => number;
  /** The cost the controller hashes passwords at (passwords.ts), so that an unknown name costs what a known one does. */
  passwordCost?: number;
}): Sessions {
  const unknownUserHash = unmatchableHash(deps.passwordCost ?? PASSWORD_COST);
  /**
   * Sessions a full disk kept out of state.json (signing in must work while nothing can be saved): they last
   * until they expire or the controller restarts, and go into the state with the next sign-in that can be saved.
   */
  const unsaved = new Map<string, SessionRecord>();
  return {
    async login(username, password, extras = {}) {
      const user = deps.store.read().users.find((u) => u.username === username.trim() && !u.disabled);
      // Hash even for unknown users so timing does not reveal which names exist.
      const valid = await verifyPassword(password, user?.passwordHash ?? unknownUserHash);
      if (!user || !valid) return null;
      const sessionId = randomToken(16);
      const now = deps.now();
      const { failedSignIns, clientHash } = extras;
      const session: SessionRecord = {
        idHash: sha256Hex(sessionId),
        userId: user.id,
        createdAt: now,
        expiresAt: now + SESSION_TTL_MS,
        ...(failedSignIns && { failedSignIns }),
      };
      const held = [...unsaved.values()];
      const ended = await deps.store
        .update((s) => {
          s.sessions = [...s.sessions, ...held].filter((x) => x.expiresAt > now);
          s.sessions.push(session);
          const own = s.sessions.filter((x) => x.userId === user.id);
          const over = new Set(own.slice(0, Math.max(0, own.length - MAX_SESSIONS_PER_USER)).map((x) => x.idHash));
          s.sessions = s.sessions.filter((x) => !over.has(x.idHash));
          if (clientHash !== undefined) {
            const record = s.users.find((u) => u.id === user.id);
            if (record)
              record.knownClients = [clientHash, ...(record.knownClients ?? []).filter((h) => h !== clientHash)].slice(
                0,
                MAX_KNOWN_CLIENTS,
              );
          }
          return [...over];
        })
        .then(
          (over) => {
            for (const x of held) unsaved.delete(x.idHash);
            return over;
          },
          (error: unknown) => {
            if (!isDiskFull(error)) throw error;
            unsaved.set(session.idHash, session);
            return [];
          },
        );
      for (const idHash of ended) deps.bus.emit('session:ended', idHash, 'replaced');
      return { sessionId, user: { ...publicUser(user), ...(failedSignIns && { failedSignIns }) } };
    },

    knowsClient(username, clientHash) {
      const user = deps.store.read().users.find((u) => u.username === username.trim() && !u.disabled);
      return user?.knownClients?.includes(clientHash) ?? false;
    },

    async logout(sessionId) {
      const idHash = sha256Hex(sessionId);
      if (unsaved.delete(idHash)) deps.bus.emit('session:ended', idHash, 'signed_out');
      if (!deps.store.read().sessions.some((x) => x.idHash === idHash)) return;
      await deps.store.update((s) => {
        s.sessions = s.sessions.filter((x) => x.idHash !== idHash);
      });
      deps.bus.emit('session:ended', idHash, 'signed_out');
    },

    async endAllFor(userId, reason, keep) {
      for (const x of unsaved.values()) {
        if (x.userId === userId && x.idHash !== keep && unsaved.delete(x.idHash)) deps.bus.emit('session:ended', x.idHash, reason);
      }
      const ended = deps.store.read().sessions.filter((x) => x.userId === userId && x.idHash !== keep);
      if (ended.length === 0) return;
      await deps.store.update((s) => {
        s.sessions = s.sessions.filter((x) => x.userId !== userId || x.idHash === keep);
      });
      for (const session of ended) deps.bus.emit('session:ended', session.idHash, reason);
    },

    expiresAt(sessionId) {
      if (!sessionId) return null;
      const idHash = sha256Hex(sessionId);
      return (deps.store.read().sessions.find((x) => x.idHash === idHash) ?? unsaved.get(idHash))?.expiresAt ?? null;
    },

    resolve(sessionId) {
      if (!sessionId) return null;
      const state = deps.store.read();
      const idHash = sha256Hex(sessionId);
      const session = state.sessions.find((x) => x.idHash === idHash) ?? unsaved.get(idHash);
      if (!session || session.expiresAt <= deps.now()) return null;
      const user = state.users.find((u) => u.id === session.userId && !u.disabled);
      if (!user) return null;
      return session.failedSignIns ? { ...publicUser(user), failedSignIns: session.failedSignIns } : publicUser(user);
    },
  };
}

/** The session cookie's name for a request that came over TLS (`secure`) or not. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The client cookie's name for a request over TLS (`secure`) or not, as the session cookie's. */
export function clientCookieName(secure: boolean): string {
  return secure ? `__Host-${CLIENT_COOKIE}` : CLIENT_COOKIE;
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
