/** `/api/auth`: sign in, sign out, who am I. */
import { Router } from 'express';
import { SESSION_COOKIE, SESSION_TTL_MS, readCookie, type Sessions } from '../auth/sessions.js';
import type { Logger } from '../logger.js';
import { fail, loginRequest, ok } from '../protocol/index.js';
import { currentUser, parse, send } from './respond.js';
import { requireSession } from './middleware.js';

export function authRouter(deps: { sessions: Sessions; logger: Logger }): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const body = parse(loginRequest, req.body, res);
    if (!body) return;
    const result = await deps.sessions.login(body.username, body.password);
    if (!result) {
      deps.logger.info('failed sign-in', { username: body.username, address: req.ip });
      send(res, fail('unauthorized', 'wrong user name or password (用户名或密码错误)'));
      return;
    }
    deps.logger.info(`${result.user.username} signed in`, { address: req.ip });
    res.cookie(SESSION_COOKIE, result.sessionId, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    send(res, ok(result.user));
  });

  router.post('/logout', async (req, res) => {
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sessionId) await deps.sessions.logout(sessionId);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    send(res, ok(null));
  });

  router.get('/me', requireSession(deps.sessions), (_req, res) => {
    send(res, ok(currentUser(res)));
  });

  return router;
}
