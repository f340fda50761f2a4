/** `/api/users` (admins): staff accounts; `/api/staff`: names for everyone signed in. */
import { USER_ROUTES, ok } from '../protocol/index.js';
import type { UserService } from '../services/users.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

export function userHandlers(deps: { users: UserService }): Handlers<typeof USER_ROUTES> {
  return {
    staff: (_req, res) => send(res, ok(deps.users.list().map(({ id, displayName, roles }) => ({ id, displayName, roles })))),
    users: (_req, res) => send(res, ok(deps.users.list())),
    createUser: async (req, res) => {
      const body = parse(USER_ROUTES.createUser.body, req.body, res);
      if (body) send(res, await deps.users.create(body, currentUser(res)), 201);
    },
    updateUser: async (req, res) => {
      const body = parse(USER_ROUTES.updateUser.body, req.body, res);
      if (body) send(res, await deps.users.update(req.params.id, body, currentUser(res)));
    },
    resetPassword: async (req, res) => {
      const body = parse(USER_ROUTES.resetPassword.body, req.body, res);
      if (body) send(res, await deps.users.resetPassword(req.params.id, body.newPassword, currentUser(res)));
    },
  };
}
