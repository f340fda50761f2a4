/** `/api/users` (admins): staff accounts; `/api/staff`: names for everyone signed in. */
import { type StaffMember, createUserRequest, ok, resetPasswordRequest, updateUserRequest } from '../protocol/index.js';
import type { UserService } from '../services/users.js';
import { currentUser, param, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function userRoutes(deps: { users: UserService }): RouteDef[] {
  return [
    route('get', '/staff', 'signed_in', (_req, res) =>
      send(res, ok<StaffMember[]>(deps.users.list().map(({ id, displayName, roles }) => ({ id, displayName, roles })))),
    ),
    route('get', '/users', ['admin'], (_req, res) => send(res, ok(deps.users.list()))),
    route('post', '/users', ['admin'], async (req, res) => {
      const body = parse(createUserRequest, req.body, res);
      if (body) send(res, await deps.users.create(body, currentUser(res)), 201);
    }),
    route('patch', '/users/:id', ['admin'], async (req, res) => {
      const body = parse(updateUserRequest, req.body, res);
      if (body) send(res, await deps.users.update(param(req, 'id'), body, currentUser(res)));
    }),
    route('post', '/users/:id/reset-password', ['admin'], async (req, res) => {
      const body = parse(resetPasswordRequest, req.body, res);
      if (body) send(res, await deps.users.resetPassword(param(req, 'id'), body.newPassword, currentUser(res)));
    }),
  ];
}
