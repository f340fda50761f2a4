/**
 * Every service of the controller, built over its data (ops/composeData.ts) without I/O. Each reads the others
 * only when asked, once they run; the long-lived ones are {@link ControllerServices.parts}, started in that
 * order after the data, and {@link ControllerServices.expiry}, started once the hubs push playlist changes.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { type Sessions, createSessions } from '../auth/sessions.js';
import { type SignInGuard, createSignInGuard } from '../auth/signInGuard.js';
import type { Clock } from '../clock.js';
import { liveVersion } from '../domain/notices.js';
import { type EventBus, createEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { ControllerData } from '../ops/composeData.js';
import { type DiskWatch, createDiskWatch } from '../ops/diskWatch.js';
import { INITIAL_PASSWORD_FILE } from '../ops/firstStart.js';
import { type NamedPart, type Part, step } from '../ops/lifecycle.js';
import type { IntegrityCheck } from '../store/integrity.js';
import { SAVE_EVERY_RECORDS, createIndexKeeper } from '../store/indexSnapshot.js';
import { settleLedgerMark } from '../store/recordThenSave.js';
import { createSignProfileStore } from '../store/signProfiles.js';
import { type DeviceService, createDeviceService } from './devices.js';
import { type DisplayService, createDisplayService } from './displays.js';
import { type LedgerService, createLedgerService } from './ledger.js';
import { type NodeRecordService, createNodeRecordService } from './nodeRecords.js';
import { type NodeSigns, createNodeSigns } from './nodeSigns.js';
import { createNoticeExpiry } from './noticeExpiry.js';
import { type NoticeService, createNoticeService } from './notices.js';
import { type PlaylistService, createPlaylistService } from './playlists.js';
import { type ReportService, createReportService } from './reports.js';
import { type SettingsService, createSettingsService } from './settings.js';
import { type SignCatalog, createSignCatalog } from './signCatalog.js';
import { createSignIntervalRecords } from './signIntervals.js';
import { type SignsService, type SignsServiceDeps, createSignsService } from './signs.js';
import { type UserService, createUserService } from './users.js';
import { type VillageService, createVillageService } from './villages.js';
import { type WitnessService, createWitnessService } from './witnesses.js';

/** Sign timings production leaves at their defaults (the fault suite and the soak shorten them). */
export type SignsTuning = Partial<
  Pick<SignsServiceDeps, 'binding' | 'tickMs' | 'tuning' | 'healthIntervalMs' | 'eqRefreshMs' | 'contentCheckMs'>
>;

export interface ControllerServices {
  bus: EventBus;
  sessions: Sessions;
  signInGuard: SignInGuard;
  notices: NoticeService;
  villages: VillageService;
  users: UserService;
  reports: ReportService;
  displays: DisplayService;
  playlists: PlaylistService;
  nodeRecords: NodeRecordService;
  devices: DeviceService;
  signCatalog: SignCatalog;
  nodeSigns: NodeSigns;
  signs: SignsService;
  settings: SettingsService;
  witnesses: WitnessService;
  ledger: LedgerService;
  /** The ledger's own check (store/integrity.ts), which the health answer and the reports read. */
  integrity: IntegrityCheck;
  disk: DiskWatch;
  /** The end of notices' windows, on its own timer. */
  expiry: Part;
  /** In the order they start, after the data's parts. */
  parts: readonly NamedPart[];
}

export function composeServices(
  data: ControllerData,
  deps: {
    dataDir: string;
    clock: Clock;
    logger: Logger;
    signs?: SignsTuning | undefined;
    expiryIntervalMs?: number | undefined;
    /** log2 of scrypt's N for the password hashes staff changes write (auth/passwords.ts); its default unless set. */
    passwordCost?: number | undefined;
  },
): ControllerServices {
  const { store, ledger, aggregates, calendar, integrity, town } = data;
  const { dataDir, clock, logger } = deps;
  const now = () => clock.now();
  const bus = createEventBus();
  const { passwordCost } = deps;
  const sessions = createSessions({ store, bus, now, ...(passwordCost !== undefined && { passwordCost }) });
  // LED signs: saved profiles, plus one emulated sign per village in demo mode.
  const signCatalog = createSignCatalog({ saved: createSignProfileStore({ dataDir }), store, demoMode: town.demoMode });
  const notices = createNoticeService({ store, ledger, bus, clock, calendar, logger: logger.child('notices') });
  const initialPasswordFile = path.join(dataDir, INITIAL_PASSWORD_FILE);
  const users = createUserService({
    store,
    ledger,
    sessions,
    clock,
    bus,
    logger: logger.child('users'),
    ...(passwordCost !== undefined && { passwordCost }),
    // The first admin's password file goes once that admin has chosen a password of their own.
    onPasswordReplaced: async (username) => {
      const text = await readFile(initialPasswordFile, 'utf8').catch(() => '');
      if (text.startsWith(`username: ${username}\n`)) await rm(initialPasswordFile, { force: true });
    },
  });
  const reports = createReportService({
    signs: signCatalog.all,
    dataDir,
    ledger,
    aggregates,
    store,
    clock,
    calendar,
    logger: logger.child('reports'),
  });
  const displays = createDisplayService({
    ledger,
    dataDir,
    store,
    bus,
    clock,
    logger: logger.child('displays'),
    // Called per receipt batch, long after `devices` exists.
    clockOffset: (deviceId) => devices.clockOffset(deviceId),
  });
  const playlists = createPlaylistService({ store, now });
  const nodeRecords = createNodeRecordService({ ledger, dataDir, now, store, signs: signCatalog.all, logger: logger.child('node') });
  const witnesses = createWitnessService({
    ledger,
    signingKey: data.held.signingKey,
    town: () => store.read().town.name,
    now,
    logger: logger.child('witness'),
    // Called when a device reports, long after `devices` exists: staff see the alarm rise or clear on its row.
    onChange: (deviceId) => devices.announce(deviceId),
  });
  const devices = createDeviceService({
    store,
    ledger,
    bus,
    clock,
    logger: logger.child('devices'),
    missingReceipts: (deviceId) => displays.gaps(deviceId).missing.length + nodeRecords.missing(deviceId),
    witnessAlarm: (deviceId) => witnesses.alarmOf(deviceId),
    noticeTitle: (noticeId) => {
      const notice = store.read().notices.find((n) => n.id === noticeId);
      return notice ? (liveVersion(notice)?.content.title ?? null) : null;
    },
  });
  // The indexes' snapshots, and the state's ledger mark, follow the ledger, so the next start (even after a
  // kill -9) reads only what came after them (store/indexSnapshot.ts).
  const indexKeeper = createIndexKeeper({
    indexes: [displays.index, nodeRecords.index],
    position: () => ledger.position(),
    logger: logger.child('indexes'),
    alsoEvery: async () => {
      const mark = store.read().ledgerMark;
      if (!mark || ledger.head().seq - mark.seq >= SAVE_EVERY_RECORDS) await settleLedgerMark({ ledger, store });
    },
  });
  const nodeSigns = createNodeSigns({ profiles: signCatalog.all, nodeName: (id) => devices.get(id)?.name ?? null });
  // The controller's own signs' cards, coalesced into intervals before the ledger (services/signIntervals.ts).
  const signIntervals = createSignIntervalRecords({
    ledger,
    dataDir: deps.dataDir,
    now,
    notices: () => store.read().notices,
    logger: logger.child('sign-intervals'),
  });
  const signs = createSignsService({
    profiles: signCatalog.saved,
    playlists,
    remote: nodeSigns,
    ledger,
    records: signIntervals,
    bus,
    clock,
    logger: logger.child('led'),
    binding: SerialPort.binding,
    extraProfiles: signCatalog.demo,
    isNode: (nodeId) => {
      const device = devices.get(nodeId);
      return device?.kind === 'node' && device.revokedAt === null;
    },
    ...deps.signs,
  });
  return {
    bus,
    sessions,
    signInGuard: createSignInGuard({ now }),
    notices,
    villages: createVillageService({ store, ledger, bus, logger: logger.child('villages') }),
    users,
    reports,
    displays,
    playlists,
    nodeRecords,
    devices,
    signCatalog,
    nodeSigns,
    signs,
    settings: createSettingsService({ store, ledger, bus }),
    witnesses,
    ledger: createLedgerService({ dataDir, now, ledger, store, signingKey: data.held.signingKey, integrity, witnesses }),
    integrity,
    disk: createDiskWatch({ dataDir, now }),
    // Notices whose window ended, now and every expiryIntervalMs.
    expiry: createNoticeExpiry({ notices, logger, intervalMs: deps.expiryIntervalMs }),
    parts: [
      ['displays', step(() => displays.start())],
      ['node records', step(() => nodeRecords.start())],
      ['indexes', indexKeeper],
      ['devices', devices],
      // The first admin account and, in demo mode, the demo town (ops/firstStart.ts), once the indexes are read.
      ['first start', town],
      ['sign catalog', signCatalog],
      // Before the signs and stopped after them: their last cards are folded in before every interval closes.
      ['sign intervals', signIntervals],
      ['signs', signs],
    ],
  };
}
