/**
 * Every API route is declared with its access rule, and mounted through
 * {@link mountRoutes}, which puts the check in front of the handler. A route
 * cannot exist without a rule, and tests enumerate this table.
 */
import type { RequestHandler, Router } from 'express';
import { readSessionId, type Sessions } from '../auth/sessions.js';
import { type Role, type StaffUser, fail } from '../protocol/index.js';
import { send } from './respond.js';

/** `public`: anyone · `signed_in`: any staff session · roles: a session with one of them. */
export type Access = 'public' | 'signed_in' | readonly Role[];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDef {
  method: Method;
  /** Relative to `/api`. */
  path: string;
  access: Access;
  /** Usable while the user still has to replace an admin-set password (only the routes needed to do so). */
  beforePasswordChange?: boolean;
  /** `site`: a server-rendered page mounted at the site root (`path` is then absolute), not under `/api`. */
  at?: 'api' | 'site';
  handler: RequestHandler;
}

export function route(
  method: Method,
  path: string,
  access: Access,
  handler: RequestHandler,
  options: { beforePasswordChange?: boolean } = {},
): RouteDef {
  return { method, path, access, handler, ...options };
}

/** A public server-rendered page (GET, at the site root), e.g. a notice's public page `/n/:id`. */
export function page(path: string, handler: RequestHandler): RouteDef {
  return { method: 'get', path, access: 'public', at: 'site', handler };
}

function guard(def: RouteDef, sessions: Sessions): RequestHandler {
  return (req, res, next) => {
    if (def.access === 'public') return next();
    const user: StaffUser | null = sessions.resolve(readSessionId(req.headers.cookie, req.secure));
    if (!user) return send(res, fail('unauthorized', 'sign in first (请先登录)'));
    res.locals.user = user;
    if (user.mustChangePassword && !def.beforePasswordChange) {
      return send(res, fail('forbidden', 'set a new password first (请先修改密码)'));
    }
    if (def.access !== 'signed_in' && !user.roles.some((r) => (def.access as readonly Role[]).includes(r))) {
      return send(res, fail('forbidden', `this needs the ${def.access.join(' or ')} role (权限不足)`));
    }
    next();
  };
}

export function mountRoutes(router: Router, routes: readonly RouteDef[], sessions: Sessions): void {
  for (const def of routes) router[def.method](def.path, guard(def, sessions), def.handler);
}
