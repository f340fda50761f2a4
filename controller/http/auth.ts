/** `/api/auth`: sign in (throttled), sign out, who am I, change my password. */
import type { Request } from 'express';
import { SESSION_TTL_MS, readSessionId, sessionCookieName, type Sessions } from '../auth/sessions.js';
import { ACCOUNT_RULE, ADDRESS_RULE, type LoginThrottle } from '../auth/throttle.js';
import { sha256Hex } from '../domain/canonical.js';
import type { Logger } from '../logger.js';
import { changePasswordRequest, emptyRequest, fail, loginRequest, ok } from '../protocol/index.js';
import type { UserService } from '../services/users.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

const throttleKeys = (username: string, req: Request) => [
  { key: `account:${username.toLowerCase()}`, rule: ACCOUNT_RULE },
  { key: `address:${req.ip ?? 'unknown'}`, rule: ADDRESS_RULE },
];

export function authRoutes(deps: { sessions: Sessions; users: UserService; throttle: LoginThrottle; logger: Logger }): RouteDef[] {
  return [
    route('post', '/auth/login', 'public', async (req, res) => {
      const body = parse(loginRequest, req.body, res);
      if (!body) return;
      const keys = throttleKeys(body.username, req);
      const wait = deps.throttle.waitMs(keys);
      if (wait > 0) {
        res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
        send(
          res,
          fail('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s (登录失败次数过多，请稍后再试)`),
        );
        return;
      }
      const result = await deps.sessions.login(body.username, body.password);
      if (!result) {
        deps.throttle.failed(keys);
        // A name that is no account is often the password typed into the wrong box: never log it.
        const known = deps.users.list().some((u) => u.username === body.username.trim());
        deps.logger.info('failed sign-in', { username: known ? body.username.trim() : '(not a user name)', address: req.ip });
        send(res, fail('unauthorized', 'wrong user name or password (用户名或密码错误)'));
        return;
      }
      deps.throttle.succeeded(keys[0]!.key);
      deps.logger.info(`${result.user.username} signed in`, { address: req.ip });
      // Over TLS the name carries the __Host- prefix, which these flags satisfy: Secure, Path=/, no Domain.
      res.cookie(sessionCookieName(req.secure), result.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/',
        maxAge: SESSION_TTL_MS,
      });
      send(res, ok(result.user));
    }),

    route('post', '/auth/logout', 'public', async (req, res) => {
      if (parse(emptyRequest, req.body, res) === undefined) return;
      const sessionId = readSessionId(req.headers.cookie, req.secure);
      if (sessionId) await deps.sessions.logout(sessionId);
      res.clearCookie(sessionCookieName(req.secure), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
      send(res, ok(null));
    }),

    route('get', '/auth/me', 'signed_in', (_req, res) => send(res, ok(currentUser(res))), { beforePasswordChange: true }),

    route(
      'post',
      '/auth/password',
      'signed_in',
      async (req, res) => {
        const body = parse(changePasswordRequest, req.body, res);
        if (!body) return;
        const keep = sha256Hex(readSessionId(req.headers.cookie, req.secure) ?? '');
        send(res, await deps.users.changePassword(currentUser(res), body.currentPassword, body.newPassword, keep));
      },
      { beforePasswordChange: true },
    ),
  ];
}
