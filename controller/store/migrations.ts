/**
 * Schema migrations for state.json. Each entry upgrades the state from version
 * `n` to `n + 1`; add one (and bump CURRENT_SCHEMA_VERSION) whenever the shape
 * of stored state changes. Migrations must be pure and never lose data.
 */
import type { Logger } from '../logger.js';
import { StateFileError } from './errors.js';
import type { State } from './state.js';

export const CURRENT_SCHEMA_VERSION = 1;

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[n] turns a version-n state into a version-(n+1) state. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

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
