/**
 * The first start of a data directory: the first admin account and, in demo
 * mode, the demo town and its two accounts, saved in ONE state write (with the
 * demo notices' ledger records before it, like any staff change). A start
 * killed anywhere before that write leaves no account in the state, and the
 * next start does the whole first start again: a town is never left half
 * made (no villages, demo mode off). The password files are written, durably,
 * before the state that makes them valid, and rewritten by a repeated first start.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { DEMO_EDITOR, DEMO_REVIEWER, seedDemoTown } from '../demo.js';
import type { Logger } from '../logger.js';
import type { HolidayCalendar } from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { State, StateStore, UserRecord } from '../store/state.js';

export const INITIAL_PASSWORD_FILE = 'initial-admin-password.txt';
export const DEMO_ACCOUNTS_FILE = 'demo-accounts.txt';

export interface FirstStartResult {
  /** Set on the start that created the first admin account; afterwards the password is only in the data directory's file. */
  initialAdmin: { username: string; password: string | null; file: string } | null;
  /** Demo mode: the demo editor and reviewer accounts, with their generated passwords. */
  demoAccounts: { username: string; password: string; role: string }[];
}

/** True until a first start has completed: the state holds no account yet. */
export const needsFirstStart = (state: Readonly<State>): boolean => state.users.length === 0;

/** A user as first created: the generated password is random, so it need not be changed at once. */
function userRecord(user: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'roles'>, passwordHash: string, now: number): UserRecord {
  return { ...user, villageIds: [], passwordHash, disabled: false, mustChangePassword: false, createdAt: now };
}

/** The demo town's additions to `draft` (done on a copy), and the `notice.approved` records of its notices. */
async function demoSeed(
  deps: { store: StateStore; calendar: () => HolidayCalendar; dataDir: string; now: () => number; passwordCost?: number },
  draft: State,
): Promise<{ entries: LedgerEntry[]; accounts: FirstStartResult['demoAccounts'] }> {
  const accounts = [
    { ...DEMO_EDITOR, roles: ['editor' as const], role: '拟稿 editor', password: generatePassword() },
    { ...DEMO_REVIEWER, roles: ['reviewer' as const], role: '审核 reviewer', password: generatePassword() },
  ];
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password, deps.passwordCost)));
  const seeded = seedDemoTown(draft, deps.now(), deps.calendar());
  accounts.forEach((a, i) => draft.users.push(userRecord(a, hashes[i] ?? '', deps.now())));
  const lines = accounts.map((a) => `${a.username} ${a.password} ${a.role}`);
  await writeFileDurably(
    path.join(deps.dataDir, DEMO_ACCOUNTS_FILE),
    `# Demo accounts (demo mode only): user password role\n${lines.join('\n')}\n`,
  );
  const entries = seeded.notices.flatMap((n) =>
    n.versions.map((v): LedgerEntry => ({
      type: 'notice.approved',
      noticeId: n.id,
      versionId: v.id,
      contentHash: v.contentHash,
      actorId: v.review?.by ?? 'system',
      demo: true,
    })),
  );
  return { entries, accounts: accounts.map(({ username, password, role }) => ({ username, password, role })) };
}

async function readDemoAccounts(dataDir: string): Promise<FirstStartResult['demoAccounts']> {
  const text = await readFile(path.join(dataDir, DEMO_ACCOUNTS_FILE), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [username = '', password = '', ...role] = l.split(' ');
      return { username, password, role: role.join(' ') };
    });
}

/**
 * Creates what a start needs that is not there yet: on a first start the admin account (and the demo town
 * when `demo`), all in one write; on a later start in demo mode with no villages, the demo town.
 */
export async function ensureFirstStart(deps: {
  dataDir: string;
  store: StateStore;
  ledger: Ledger;
  calendar: () => HolidayCalendar;
  now: () => number;
  logger: Logger;
  demo: boolean;
  /** log2 N for the accounts' hashes (passwords.ts PASSWORD_COST unless tuned). */
  passwordCost?: number;
}): Promise<FirstStartResult> {
  const file = path.join(deps.dataDir, INITIAL_PASSWORD_FILE);
  const draft = structuredClone(deps.store.read()) as State;
  if (!needsFirstStart(draft)) {
    const initialAdmin = existsSync(file)
      ? { username: (await readFile(file, 'utf8')).split('\n')[0]?.replace(/^username: /, '') ?? 'admin', password: null, file }
      : null;
    if (!deps.demo) return { initialAdmin, demoAccounts: [] };
    if (draft.villages.length > 0) return { initialAdmin, demoAccounts: await readDemoAccounts(deps.dataDir) };
    const { entries, accounts } = await demoSeed(deps, draft);
    await recordThenSave(deps, entries, (s) => Object.assign(s, pick(draft)));
    deps.logger.info('seeded the demo town 彪角镇');
    return { initialAdmin, demoAccounts: accounts };
  }

  const password = generatePassword();
  const passwordHash = await hashPassword(password, deps.passwordCost);
  draft.users.push(
    userRecord(
      { id: 'u-admin', username: 'admin', displayName: '系统管理员', roles: ['admin', 'reviewer', 'editor'] },
      passwordHash,
      deps.now(),
    ),
  );
  await writeFileDurably(file, `username: admin\npassword: ${password}\n# Removed automatically when this password is changed.\n`);
  const demo = deps.demo ? await demoSeed(deps, draft) : { entries: [], accounts: [] };
  await recordThenSave(deps, demo.entries, (s) => Object.assign(s, pick(draft)));
  deps.logger.info('created the first admin account "admin"');
  if (deps.demo) deps.logger.info('seeded the demo town 彪角镇');
  return { initialAdmin: { username: 'admin', password, file }, demoAccounts: demo.accounts };
}

/** What a first start adds: nothing else in the state is touched. */
const pick = (draft: State): Pick<State, 'town' | 'villages' | 'devices' | 'notices' | 'users'> => ({
  town: draft.town,
  villages: draft.villages,
  devices: draft.devices,
  notices: draft.notices,
  users: draft.users,
});
