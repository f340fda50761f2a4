/**
 * Schema migrations for state.json. Each entry upgrades the state from version
 * `n` to `n + 1`; add one (and bump CURRENT_SCHEMA_VERSION) whenever the shape
 * of stored state changes. Migrations must be pure and never lose data.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { civilDateOf } from '../protocol/index.js';
import { StateFileError } from './errors.js';
import type { State } from './state.js';

export const CURRENT_SCHEMA_VERSION = 2;

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[n] turns a version-n state into a version-(n+1) state. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  1: toVersioned,
};

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/**
 * 1 → 2: accounts gain village limits and the must-change-password flag;
 * each flat notice becomes a notice with one version (its state, times and
 * hash kept, so display records still name the words that were shown);
 * settings appear.
 */
function toVersioned(old: Row): Row {
  const users = rows(old.users).map((u) => ({ villageIds: [], mustChangePassword: false, ...u }));
  const notices = rows(old.notices).map((n) => {
    const createdAt = Number(n.createdAt ?? 0);
    const approvedAt = typeof n.approvedAt === 'number' ? n.approvedAt : null;
    const state =
      n.state === 'approved' ||
      n.state === 'draft' ||
      n.state === 'pending_review' ||
      n.state === 'rejected' ||
      n.state === 'withdrawn' ||
      n.state === 'expired'
        ? n.state
        : 'draft';
    return {
      id: n.id,
      createdBy: n.createdBy,
      createdAt,
      versions: [
        {
          id: `${String(n.id)}-v1`,
          noticeId: n.id,
          number: 1,
          content: {
            title: n.title,
            body: n.body,
            ledText: n.title,
            category: 'a20-other',
            keyAreas: [],
            docNumber: null,
            issuer: n.issuer,
            formedOn: civilDateOf(createdAt),
            target: n.target,
            posting: {
              start: civilDateOf(typeof n.startsAt === 'number' ? n.startsAt : createdAt),
              rule: typeof n.endsAt === 'number' ? { kind: 'until', end: civilDateOf(n.endsAt - 1) } : { kind: 'long_term' },
            },
            priority: 0,
            emergency: null,
            retention: '10y',
          },
          // The old hash covered the old content shape; keep it, since receipts and ledger records name it.
          contentHash: n.contentHash,
          state,
          revisionOf: null,
          correction: null,
          createdBy: n.createdBy,
          createdAt,
          updatedAt: n.updatedAt ?? createdAt,
          editors: [n.createdBy],
          submittedBy: n.submittedAt ? n.createdBy : null,
          submittedAt: n.submittedAt ?? null,
          privacyOverrideRequest: null,
          review:
            approvedAt === null
              ? null
              : {
                  decision: 'approved',
                  by: n.approvedBy,
                  at: approvedAt,
                  attestation: null,
                  reason: 'migrated from schema 1',
                  privacyOverride: null,
                },
          startsAt: n.startsAt ?? null,
          endsAt: n.endsAt ?? null,
          withdrawal: null,
          endedAt: null,
        },
      ],
    };
  });
  return { ...old, users, notices, settings: { holidayOverrides: { holidays: [], workdays: [] } } };
}

export function migrate(
  data: unknown,
  file: string,
  logger: Logger,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  target = CURRENT_SCHEMA_VERSION,
): State {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new StateFileError(`${file} does not hold a Gongshi state object; restore it from a backup`);
  }
  let state = data as Record<string, unknown>;
  const version = state.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StateFileError(`${file} has no valid schemaVersion; restore it from a backup`);
  }
  if (version > target) {
    throw new StateFileError(
      `${file} has schema version ${version}, newer than this Gongshi (${target}); upgrade Gongshi instead of downgrading`,
    );
  }
  for (let v = version; v < target; v++) {
    const step = migrations[v];
    if (!step) throw new StateFileError(`no migration from schema version ${v} to ${v + 1}`);
    state = { ...step(state), schemaVersion: v + 1 };
    logger.info(`migrated ${file} from schema version ${v} to ${v + 1}`);
  }
  return state as unknown as State;
}

/**
 * The migration starting the controller on `file` would run, or null (no file,
 * already current, or unreadable: the state store reports that itself). Read
 * before the state store starts, so a backup can be taken first.
 */
export async function pendingMigration(file: string, target = CURRENT_SCHEMA_VERSION): Promise<{ from: number; to: number } | null> {
  let version: unknown;
  try {
    version = (JSON.parse(await readFile(file, 'utf8')) as { schemaVersion?: unknown }).schemaVersion;
  } catch {
    return null;
  }
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 && version < target
    ? { from: version, to: target }
    : null;
}
