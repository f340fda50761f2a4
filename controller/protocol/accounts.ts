/**
 * Account rules shared by the controller (which enforces them) and the admin
 * app (which shows them while typing).
 */
import { z } from './zod.js';
import { ROLES } from './model.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Passwords seen most often in leaked Chinese and international lists, and the
 * obvious local ones. Compared case-insensitively, also with trailing digits
 * and punctuation removed ("password123!" is "password").
 */
const COMMON = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  '11111111',
  '00000000',
  '88888888',
  '66666666',
  '12341234',
  '11223344',
  '123123123',
  '147258369',
  '123456123',
  '5201314520',
  '13141314',
  'password',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  'asdfghjk',
  'asdfasdf',
  'zxcvbnm',
  '1qaz2wsx',
  '1q2w3e4r',
  'abc12345',
  'a1234567',
  'aa123456',
  'abcd1234',
  'iloveyou',
  'woaini1314',
  'woaini520',
  'admin',
  'administrator',
  'admin123',
  'root1234',
  'welcome',
  'letmein',
  'changeme',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'dragon',
  'monkey',
  'superman',
  'trustno1',
  'gongshi',
  'biaojiao',
  'zhengfu',
  'gov12345',
  'xiangzhen',
  'cunweihui',
  'default',
  'test1234',
  'guest',
  'master',
  'shadow',
  'computer',
  'internet',
]);

/**
 * What is wrong with `password` for `username`, or null when it is acceptable.
 *
 * @example
 * passwordProblem('12345678', 'zhang') // → 'this password is too common…'
 */
export function passwordProblem(password: string, username = ''): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `use at least ${PASSWORD_MIN_LENGTH} characters (至少${PASSWORD_MIN_LENGTH}位)`;
  if (password.length > PASSWORD_MAX_LENGTH) return `use at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || (stem.length >= 4 && COMMON.has(stem)) || /^(.)\1+$/u.test(password)) {
    return 'this password is too common; choose a less guessable one (密码过于常见)';
  }
  if (username && lower.includes(username.toLowerCase())) return 'the password must not contain the user name (密码不能包含用户名)';
  return null;
}

const password = z.string().max(PASSWORD_MAX_LENGTH, `use at most ${PASSWORD_MAX_LENGTH} characters`);
const villageIds = z.array(z.string().min(1).max(64)).max(500);
const roles = z.array(z.enum(ROLES)).min(1, 'choose at least one role').max(3);
const displayName = z.string().trim().min(1, 'enter a name').max(40);

export const createUserRequest = z
  .strictObject({
    username: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'use 3–32 lower-case letters, digits, dot, dash or underscore (3–32位小写字母或数字)'),
    displayName,
    roles,
    villageIds: villageIds.default([]),
    password,
  })
  .superRefine((u, ctx) => {
    const problem = passwordProblem(u.password, u.username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export type CreateUserRequest = z.input<typeof createUserRequest>;

export const updateUserRequest = z
  .strictObject({
    displayName: displayName.optional(),
    roles: roles.optional(),
    villageIds: villageIds.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, { message: 'change at least one field' });
export type UpdateUserRequest = z.infer<typeof updateUserRequest>;

export const resetPasswordRequest = z.strictObject({ newPassword: password });
export const changePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, 'enter your current password').max(PASSWORD_MAX_LENGTH),
  newPassword: password,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequest>;

export const villageRequest = z.strictObject({ name: z.string().trim().min(2, 'enter the village name').max(30) });
