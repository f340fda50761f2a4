/**
 * The controller's bootstrap, as parts (lifecycle.ts) the composition root starts before anything serves:
 * hold the data directory (startup.ts), open the state, and make what a start needs that is not there yet —
 * the first admin account and, in demo mode, the demo town (firstStart.ts). The demo village node, the last
 * part of a demo start, is in demoNode.ts.
 */
import type { Config } from '../config.js';
import { isDemoTown } from '../demo.js';
import type { Logger } from '../logger.js';
import type { HolidayCalendar } from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import type { StateStore } from '../store/state.js';
import { type FirstStartResult, ensureFirstStart, needsFirstStart } from './firstStart.js';
import type { SigningKey } from './keys.js';
import type { Part } from './lifecycle.js';
import { type OpenDataDir, openDataDir } from './startup.js';

const notStarted = (what: string): never => {
  throw new Error(`${what} used before start()`);
};

/** The data directory held for this run: locked, backed up before a migration, its checkpoint signing key loaded; released on stop. */
export function holdDataDir(deps: Parameters<typeof openDataDir>[0]): Part & { signingKey: () => SigningKey } {
  let held: OpenDataDir | null = null;
  return {
    async start() {
      held = await openDataDir(deps);
    },
    async stop() {
      await held?.release();
    },
    signingKey: () => held?.signingKey ?? notStarted('the data directory'),
  };
}

/** The state (state.json) opened; `fresh()` tells whether this start created it. */
export function openState(store: StateStore): Part & { fresh: () => boolean } {
  let fresh: boolean | null = null;
  return {
    async start() {
      ({ fresh } = await store.start());
    },
    stop: () => store.stop(),
    fresh: () => fresh ?? notStarted('the state'),
  };
}

export interface TownStart extends Part {
  /** Whether this run is in demo mode (false before the start). */
  demoMode: () => boolean;
  /** The accounts to show in the banner; none before the start. */
  accounts: () => FirstStartResult;
}

/**
 * Decides on demo mode (`--demo on`, or `auto` on a first start or a demo town) and makes what the start
 * needs: on a first start, or one killed before its one state write (firstStart.ts), the admin account and the
 * demo town; on a later start in demo mode with no villages, the demo town.
 */
export function createTownStart(deps: {
  demo: Config['demo'];
  /** Whether the state was created by this start. */
  fresh: () => boolean;
  dataDir: string;
  store: StateStore;
  ledger: Ledger;
  calendar: () => HolidayCalendar;
  now: () => number;
  logger: Logger;
  passwordCost?: number;
}): TownStart {
  let demoMode = false;
  let accounts: FirstStartResult = { initialAdmin: null, demoAccounts: [] };
  return {
    async start() {
      const firstStart = deps.fresh() || needsFirstStart(deps.store.read());
      demoMode = deps.demo === 'on' || (deps.demo === 'auto' && (firstStart || isDemoTown(deps.store.read())));
      accounts = await ensureFirstStart({ ...deps, demo: demoMode });
    },
    stop() {
      // Nothing to close: what it made is in the state and the ledger.
    },
    demoMode: () => demoMode,
    accounts: () => accounts,
  };
}
