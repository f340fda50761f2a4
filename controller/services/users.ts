/**
 * Staff accounts: admins create, change, disable and reset them; everyone
 * changes their own password. Passwords are checked against the policy and
 * stored only as scrypt hashes; every change is a ledger record (without the
 * password, of course).
 */
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Sessions } from '../auth/sessions.js';
import { publicUser } from '../auth/sessions.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type Ack, type CreateUserRequest, type StaffUser, type UpdateUserRequest, fail, ok, passwordProblem } from '../protocol/index.js';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { StateStore, UserRecord } from '../store/state.js';
import { createSerial } from '../util/serial.js';

export interface UserService {
  list(): StaffUser[];
  create(input: Required<CreateUserRequest>, actor: StaffUser): Promise<Ack<StaffUser>>;
  update(id: string, patch: UpdateUserRequest, actor: StaffUser): Promise<Ack<StaffUser>>;
  resetPassword(id: string, newPassword: string, actor: StaffUser): Promise<Ack<StaffUser>>;
  changePassword(actor: StaffUser, currentPassword: string, newPassword: string, keepSession: string): Promise<Ack<StaffUser>>;
}

export function createUserService(deps: {
  store: StateStore;
  ledger: Ledger;
  sessions: Sessions;
  clock: Clock;
  logger: Logger;
  /** Told of every change to an account, so its open admin sockets take the new access at once. */
  bus: EventBus;
  /** Called when a user's password is replaced, so a file holding the generated first password can go. */
  onPasswordReplaced: (username: string) => Promise<void>;
  /** log2 N for new hashes (passwords.ts PASSWORD_COST unless tuned). */
  passwordCost?: number;
}): UserService {
  const serial = createSerial();
  const find = (id: string): UserRecord | undefined => deps.store.read().users.find((u) => u.id === id);
  const activeAdmins = (users: readonly UserRecord[]) => users.filter((u) => !u.disabled && u.roles.includes('admin'));
  const villagesKnown = (ids: readonly string[]): string[] => {
    const known = new Set(deps.store.read().villages.map((v) => v.id));
    return ids.filter((id) => !known.has(id));
  };
  /** Records `entry`, then replaces the user in the state (voiding the record if that write fails). */
  const replace = async (id: string, entry: LedgerEntry, change: (u: UserRecord) => UserRecord): Promise<StaffUser> => {
    const { result } = await recordThenSave(deps, entry, (s) => {
      const index = s.users.findIndex((u) => u.id === id);
      const current = s.users[index];
      if (!current) throw new Error(`user ${id} vanished`);
      const next = change(current);
      s.users[index] = next;
      return publicUser(next);
    });
    return result;
  };

  return {
    list: () => deps.store.read().users.map(publicUser),

    create: (input, actor) =>
      serial(async () => {
        if (deps.store.read().users.some((u) => u.username === input.username)) {
          return fail('conflict', `the user name ${input.username} is taken`, { username: 'already taken (用户名已存在)' });
        }
        const unknown = villagesKnown(input.villageIds);
        if (unknown.length > 0)
          return fail('invalid_payload', `villageIds: unknown village ${unknown.join(', ')}`, { villageIds: 'unknown village' });
        const record: UserRecord = {
          id: randomUUID(),
          username: input.username,
          displayName: input.displayName,
          roles: [...new Set(input.roles)],
          villageIds: [...new Set(input.villageIds)],
          passwordHash: await hashPassword(input.password, deps.passwordCost),
          disabled: false,
          mustChangePassword: true,
          createdAt: deps.clock.now(),
        };
        await recordThenSave(
          deps,
          {
            type: 'user.created',
            userId: record.id,
            username: record.username,
            roles: record.roles,
            villageIds: record.villageIds,
            actorId: actor.id,
          },
          (s) => void s.users.push(record),
        );
        deps.logger.info(`user ${record.username} created by ${actor.username}`);
        return ok(publicUser(record));
      }),

    update: (id, patch, actor) =>
      serial(async () => {
        const user = find(id);
        if (!user) return fail('not_found', `no user with id ${id}`);
        const next: UserRecord = {
          ...user,
          ...(patch.displayName !== undefined && { displayName: patch.displayName }),
          ...(patch.roles !== undefined && { roles: [...new Set(patch.roles)] }),
          ...(patch.villageIds !== undefined && { villageIds: [...new Set(patch.villageIds)] }),
          ...(patch.disabled !== undefined && { disabled: patch.disabled }),
        };
        const unknown = villagesKnown(next.villageIds);
        if (unknown.length > 0)
          return fail('invalid_payload', `villageIds: unknown village ${unknown.join(', ')}`, { villageIds: 'unknown village' });
        const users = deps.store.read().users.map((u) => (u.id === id ? next : u));
        if (activeAdmins(users).length === 0) {
          return fail('conflict', 'at least one active admin must remain (至少保留一个管理员)', {
            roles: 'the last admin cannot lose the admin role or be disabled',
          });
        }
        const view = await replace(id, { type: 'user.updated', userId: id, changes: patch, actorId: actor.id }, () => next);
        if (next.disabled && !user.disabled) await deps.sessions.endAllFor(id, 'disabled');
        deps.bus.emit('user:changed', id);
        deps.logger.info(`user ${user.username} updated by ${actor.username}`, { fields: Object.keys(patch) });
        return ok(view);
      }),

    resetPassword: (id, newPassword, actor) =>
      serial(async () => {
        const user = find(id);
        if (!user) return fail('not_found', `no user with id ${id}`);
        const problem = passwordProblem(newPassword, user.username);
        if (problem) return fail('invalid_payload', `newPassword: ${problem}`, { newPassword: problem });
        const passwordHash = await hashPassword(newPassword, deps.passwordCost);
        const view = await replace(id, { type: 'user.password-reset', userId: id, actorId: actor.id }, (u) => ({
          ...u,
          passwordHash,
          mustChangePassword: true,
        }));
        await deps.sessions.endAllFor(id, 'password_reset');
        await deps.onPasswordReplaced(user.username);
        deps.logger.info(`password of ${user.username} reset by ${actor.username}`);
        return ok(view);
      }),

    changePassword: (actor, currentPassword, newPassword, keepSession) =>
      serial(async () => {
        const user = find(actor.id);
        if (!user) return fail('unauthorized', 'sign in again');
        if (!(await verifyPassword(currentPassword, user.passwordHash))) {
          return fail('invalid_payload', 'currentPassword: wrong password', { currentPassword: 'wrong password (当前密码不正确)' });
        }
        const problem =
          passwordProblem(newPassword, user.username) ??
          (newPassword === currentPassword ? 'choose a password different from the current one' : null);
        if (problem) return fail('invalid_payload', `newPassword: ${problem}`, { newPassword: problem });
        const passwordHash = await hashPassword(newPassword, deps.passwordCost);
        const view = await replace(user.id, { type: 'user.password-changed', userId: user.id, actorId: user.id }, (u) => ({
          ...u,
          passwordHash,
          mustChangePassword: false,
        }));
        await deps.sessions.endAllFor(user.id, 'password_changed', keepSession);
        await deps.onPasswordReplaced(user.username);
        deps.logger.info(`${user.username} changed their password`);
        return ok(view);
      }),
  };
}
