/**
 * The contract's route table (protocol/routes.ts) mounted: every entry gets its
 * access check in front of the handler written for it. A handler is keyed by
 * its entry's name and typed by it (path parameters, the Ack it answers), so a
 * route without a handler, or a handler without a route, fails the typecheck;
 * {@link mountRoutes} refuses both at start too.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { readSessionId, type Sessions } from '../auth/sessions.js';
import { type Ack, type Access, type Answer, type PathParams, type Role, type RouteSpec, type StaffUser, fail } from '../protocol/index.js';
import { send } from './respond.js';

export type { Access };

/** What a route's handler writes: an Ack of its answer type, or a file or page (any body). */
type ResponseOf<S extends RouteSpec> = S['answer'] extends Answer<'json', infer T> ? Response<Ack<T>> : Response;

/** The handler of route `S`: its path parameters typed, its JSON answer an Ack of the table's answer type. */
export type RouteHandler<S extends RouteSpec> = (
  req: Request<PathParams<S['path']>>,
  res: ResponseOf<S>,
  next: NextFunction,
) => void | Promise<void>;

/** One handler for each route of a group of the table, and nothing else. */
export type Handlers<G extends Record<string, RouteSpec>> = { [K in keyof G]: RouteHandler<G[K]> };

/** Something to run before some routes' handlers (e.g. holding reports while the ledger is broken); null: none for this route. */
export type Gate = (route: RouteSpec) => RequestHandler | null;

function guard(def: RouteSpec, sessions: Sessions): RequestHandler {
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

/**
 * Mounts the routes of `table` that are `at` this router (`api`: under `/api`, `site`: pages at the site root), in
 * the table's order: its access check, the gates, its handler. Throws when a route has no handler or a handler has
 * no route.
 */
export function mountRoutes<G extends Record<string, RouteSpec>>(
  router: Router,
  at: RouteSpec['at'],
  table: G,
  handlers: Handlers<G>,
  sessions: Sessions,
  gates: readonly Gate[] = [],
): void {
  const extra = Object.keys(handlers).filter((name) => !Object.hasOwn(table, name));
  if (extra.length > 0) throw new Error(`handlers without a route in the table: ${extra.join(', ')}`);
  for (const [name, def] of Object.entries(table)) {
    const handler: unknown = handlers[name];
    if (typeof handler !== 'function') throw new Error(`the route ${name} (${def.method.toUpperCase()} ${def.path}) has no handler`);
    if (def.at !== at) continue;
    const before = gates.map((gate) => gate(def)).filter((g): g is RequestHandler => g !== null);
    // The table typed this handler's parameters and answer; express hands it the request as it came.
    router[def.method](def.path, guard(def, sessions), ...before, handler as RequestHandler);
  }
}
