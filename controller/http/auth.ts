/** `/api/auth`: sign in (throttled), sign out, who am I, change my password. */
import { randomToken } from '../auth/passwords.js';
import {
  CLIENT_COOKIE_MAX_AGE_MS,
  SESSION_TTL_MS,
  type Sessions,
  clientCookieName,
  readCookie,
  readSessionId,
  sessionCookieName,
} from '../auth/sessions.js';
import type { SignInAttempt, SignInGuard } from '../auth/signInGuard.js';
import { sha256Hex } from '../domain/canonical.js';
import type { Logger } from '../logger.js';
import { AUTH_ROUTES, fail, ok } from '../protocol/index.js';
import type { UserService } from '../services/users.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function authHandlers(deps: {
  sessions: Sessions;
  users: UserService;
  signInGuard: SignInGuard;
  logger: Logger;
  /** Waits out the account's short delay; tests may pass their own. */
  sleep?: (ms: number) => Promise<void>;
}): Handlers<typeof AUTH_ROUTES> {
  const sleep = deps.sleep ?? realSleep;
  return {
    login: async (req, res) => {
      const body = parse(AUTH_ROUTES.login.body, req.body, res);
      if (!body) return;
      const clientToken = readCookie(req.headers.cookie, clientCookieName(req.secure));
      const clientHash = clientToken ? sha256Hex(clientToken) : undefined;
      const attempt: SignInAttempt = {
        username: body.username,
        address: req.ip ?? 'unknown',
        ...(clientHash !== undefined && { clientHash }),
        clientKnown: clientHash !== undefined && deps.sessions.knowsClient(body.username, clientHash),
      };
      const decision = deps.signInGuard.before(attempt);
      if (decision.kind === 'refuse') {
        const sec = Math.ceil(decision.retryAfterMs / 1000);
        res.setHeader('Retry-After', String(sec));
        send(
          res,
          fail(
            'rate_limited',
            `too many failed sign-ins from this address; try again in ${sec} s, or from a browser that signed in before (此地址登录失败次数过多，请 ${sec} 秒后再试，或使用曾登录过的浏览器)`,
          ),
        );
        return;
      }
      try {
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        // A browser without a client cookie gets one with this sign-in; one shared by several staff keeps its own for all.
        const newClient = clientToken ? undefined : randomToken(16);
        const result = await deps.sessions.login(body.username, body.password, {
          clientHash: newClient === undefined ? clientHash : sha256Hex(newClient),
          failedSignIns: deps.signInGuard.pending(body.username),
        });
        if (!result) {
          deps.signInGuard.failed(attempt);
          // A name that is no account is often the password typed into the wrong box: never log it.
          const known = deps.users.list().some((u) => u.username === body.username.trim());
          deps.logger.info('failed sign-in', { username: known ? body.username.trim() : '(not a user name)', address: req.ip });
          send(res, fail('unauthorized', 'wrong user name or password (用户名或密码错误)'));
          return;
        }
        deps.signInGuard.succeeded(attempt);
        deps.logger.info(`${result.user.username} signed in`, { address: req.ip });
        // Over TLS the name carries the __Host- prefix, which these flags satisfy: Secure, Path=/, no Domain.
        res.cookie(sessionCookieName(req.secure), result.sessionId, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: '/',
          maxAge: SESSION_TTL_MS,
        });
        if (newClient !== undefined)
          res.cookie(clientCookieName(req.secure), newClient, {
            httpOnly: true,
            sameSite: 'strict',
            secure: req.secure,
            path: '/',
            maxAge: CLIENT_COOKIE_MAX_AGE_MS,
          });
        send(res, ok(result.user));
      } finally {
        deps.signInGuard.abandoned(attempt);
      }
    },

    logout: async (req, res) => {
      if (parse(AUTH_ROUTES.logout.body, req.body, res) === undefined) return;
      const sessionId = readSessionId(req.headers.cookie, req.secure);
      if (sessionId) await deps.sessions.logout(sessionId);
      res.clearCookie(sessionCookieName(req.secure), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
      send(res, ok(null));
    },

    me: (_req, res) => send(res, ok(currentUser(res))),

    changePassword: async (req, res) => {
      const body = parse(AUTH_ROUTES.changePassword.body, req.body, res);
      if (!body) return;
      const keep = sha256Hex(readSessionId(req.headers.cookie, req.secure) ?? '');
      send(res, await deps.users.changePassword(currentUser(res), body.currentPassword, body.newPassword, keep));
    },
  };
}
