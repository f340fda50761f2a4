/**
 * The controller's data as parts, built without I/O and started in the order of {@link ControllerData.parts}
 * before any service: the data directory held, the state opened, the ledger with its integrity check and the
 * start-up reconciliation, the aggregates, and what this start records about how the last run ended. The first
 * start (the first admin account, the demo town) is built here too; the services start it once their indexes are
 * read (services/index.ts).
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { type HolidayCalendar, createHolidayCalendar } from '../protocol/index.js';
import { type AggregateStore, type ObservedLedger, createAggregateStore, observeLedger } from '../reports/index.js';
import { type IntegrityCheck, createIntegrityCheck } from '../store/integrity.js';
import { type LedgerEntry, createLedger } from '../store/ledger.js';
import { reconcileLedger } from '../store/reconcile.js';
import { settleLedgerMark } from '../store/recordThenSave.js';
import { type Settings, type StateStore, createStateStore } from '../store/state.js';
import { type TownStart, createTownStart, holdDataDir, openState } from './bootstrap.js';
import { type NamedPart, step } from './lifecycle.js';
import { recordRestart } from './restart.js';

export interface ControllerData {
  store: StateStore;
  ledger: ObservedLedger<LedgerEntry>;
  aggregates: AggregateStore;
  /** The ledger's own check (store/integrity.ts): a break holds reports back. */
  integrity: IntegrityCheck;
  /** The working-day calendar with the town's overrides. */
  calendar: () => HolidayCalendar;
  /** The data directory held for this run: its checkpoint signing key, once started. */
  held: ReturnType<typeof holdDataDir>;
  /** Demo mode and the first start's accounts, once started. */
  town: TownStart;
  /** In the order they start. */
  parts: readonly NamedPart[];
}

export function composeData(deps: {
  dataDir: string;
  demo: Config['demo'];
  /** Gongshi's version, noted in the data directory. */
  version: string;
  clock: Clock;
  logger: Logger;
  /** log2 of scrypt's N for the first start's password hashes (auth/passwords.ts); its default unless set. */
  passwordCost?: number | undefined;
}): ControllerData {
  const { dataDir, logger } = deps;
  const now = () => deps.clock.now();
  const store = createStateStore({ dataDir, logger: logger.child('store'), now });
  const ledger = observeLedger<LedgerEntry>(createLedger({ dataDir, logger: logger.child('ledger'), now }));
  const aggregates = createAggregateStore({ dataDir, ledger, logger: logger.child('aggregates') });
  const integrity = createIntegrityCheck({ dataDir, ledger, now, logger: logger.child('integrity') });
  const calendar = holidayCalendarOf(store);
  const held = holdDataDir({ dataDir, logger: logger.child('ops'), now, gongshiVersion: deps.version });
  const state = openState(store);
  const { passwordCost } = deps;
  const town = createTownStart({
    demo: deps.demo,
    fresh: state.fresh,
    dataDir,
    store,
    ledger,
    calendar,
    now,
    logger,
    ...(passwordCost !== undefined && { passwordCost }),
  });
  return {
    store,
    ledger,
    aggregates,
    integrity,
    calendar,
    held,
    town,
    parts: [
      // Hold the data directory, back it up before a schema migration, load the checkpoint signing key.
      ['data directory', held],
      ['state', state],
      ['ledger', ledger],
      // The chain from the last verified point before anything reads it; a break holds reports back (store/integrity.ts).
      ['integrity', integrity],
      // After a crash: void the staff changes the ledger holds but the state never got (store/reconcile.ts);
      // on stop, the state's ledger mark is brought up to the ledger's head.
      [
        'reconcile',
        {
          start: async () => {
            await reconcileLedger({ dataDir, ledger, store, logger: logger.child('reconcile') });
          },
          stop: () =>
            settleLedgerMark({ ledger, store }).catch((error: unknown) => logger.warn('could not settle the ledger mark', { error })),
        },
      ],
      ['aggregates', aggregates],
      // Before any device connects: close what the last run left open (kiosks online, sign outages) if it was killed.
      [
        'restart',
        step(() =>
          recordRestart({
            ledger,
            coverage: aggregates.current().coverage,
            devices: store.read().devices,
            now: now(),
            logger: logger.child('restart'),
          }),
        ),
      ],
    ],
  };
}

/** The working-day calendar: the built-in table plus the town's overrides, rebuilt only when those change. */
function holidayCalendarOf(store: StateStore): () => HolidayCalendar {
  let cached: { overrides: Settings['holidayOverrides']; calendar: HolidayCalendar } | null = null;
  return () => {
    const overrides = store.read().settings.holidayOverrides;
    if (cached?.overrides !== overrides) cached = { overrides, calendar: createHolidayCalendar(overrides) };
    return cached.calendar;
  };
}
