/**
 * What the signs service offers (see signs.ts) and what it is built from.
 */
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { GlyphSource } from '../led/emulator/font.js';
import type { SignEmulator } from '../led/emulator/signEmulator.js';
import type { LinkTuning, SerialBinding } from '../led/link.js';
import type { Ack, NoticeTarget } from '../protocol/index.js';
import type { SignFrameView, SignProfile, SignTextCheck, SignView } from '../protocol/signProfile.js';
import type { Ledger } from '../store/ledger.js';
import type { RecordSink } from '../store/recordSink.js';
import type { SignProfileStore } from '../store/signProfiles.js';
import type { NodeSigns } from './nodeSigns.js';
import type { PlaylistService } from './playlists.js';
import type { SignCommand } from './signSteps.js';
import type { LedgerEntry } from '../store/ledger.js';

export interface SignsService {
  start(): Promise<void>;
  stop(): Promise<void>;
  list(): SignView[];
  /**
   * The display intervals open now, as the records they would become if they
   * ended at `at` (reason 'stopped'): a village node notes them durably so
   * that an interval open when it is killed is not lost.
   */
  openIntervals(at: number): LedgerEntry[];
  frame(id: string, at?: number): SignFrameView | null;
  command(id: string, command: SignCommand): Promise<Ack<SignView>>;
  /** Recompute what every sign should show now (after a notice was approved, withdrawn…). */
  refresh(): void;
  /**
   * Checks a notice's LED text against the font of every sign the notice
   * targets (the signs of its villages, or every sign for the whole town),
   * listing by position each character a sign cannot show.
   */
  checkText(text: string, target: NoticeTarget): SignTextCheck[];
  /** One sign as the admin sees it, or null. */
  view(id: string): SignView | null;
  /**
   * Called with a sign's id whenever something the admin shows about it
   * changed: a driver event (display, clear, link, reachability, error), a
   * command, or the sign being started, restarted or removed.
   */
  onChange(listener: (signId: string) => void): () => void;
  /** The emulator behind an emulated sign (demo and tests). */
  emulator(id: string): SignEmulator | null;
  /**
   * Applies the saved profiles: restarts only the signs whose profile changed
   * (closing their open display intervals into the ledger), starts new ones,
   * stops removed ones; the other signs on a port restart only when the
   * port's settings changed.
   */
  reload(): Promise<void>;
  /** The saved profiles (staff edit these; demo signs are not among them). */
  profiles(): readonly SignProfile[];
  /**
   * Adds a sign: refused (`conflict`, naming `id`) when a sign the town has — saved, demo or behind a village
   * node — has its id; otherwise as {@link save}.
   */
  create(input: unknown, actorId: string): Promise<Ack<SignProfile>>;
  /**
   * Validates and saves a profile (new or replacing one by id), recording it in the ledger first —
   * `sign.profile-saved`, and `sign.moved` when it changes village — then applies it like {@link reload}.
   * Answers `invalid_payload` naming each bad field, or a `node` that is not a paired village node (nothing
   * recorded or saved); throws the ledger's error.
   */
  save(input: unknown, actorId: string): Promise<Ack<SignProfile>>;
  /**
   * Removes a saved sign: stops its driver (closing its open display interval
   * into the ledger), records `sign.removed` and deletes the profile; the
   * other signs keep running. False when no saved profile has that id.
   */
  remove(id: string, actorId: string): Promise<boolean>;
}

export interface SignsServiceDeps {
  profiles: Pick<SignProfileStore, 'list' | 'remove' | 'save'>;
  /** Where each sign's playlist comes from: the controller's playlist service, or a node's stored schedule. */
  playlists: PlaylistService;
  /** Where display intervals and outages go: the ledger, or a node's durable outbox. */
  ledger: Pick<Ledger, 'append'>;
  /** The village node this service runs on: it drives only the signs attached to it. Absent: the controller's own signs. */
  nodeId?: string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** Where display intervals and outages go, durably with retry; by default a sink of its own on `ledger`. */
  records?: RecordSink;
  /** The OS serial binding (serialport's own in production). */
  binding: SerialBinding;
  /** How a port checks that its device exists before opening (fs.existsSync by default). */
  pathExists?: (path: string) => boolean;
  /** The signs behind village nodes, listed beside this service's own (the controller's). */
  remote?: NodeSigns;
  /** Whether a village node of this id is paired (and not revoked): a profile may name only such a node. Absent: any. */
  isNode?: (nodeId: string) => boolean;
  /** Extra profiles not saved in signs.json (the demo's emulated signs). */
  extraProfiles?: () => readonly SignProfile[];
  tickMs?: number;
  tuning?: Partial<LinkTuning>;
  healthIntervalMs?: number;
  /** BX: re-assert each sign's content this often (a reboot between health pings is otherwise unseen). */
  contentCheckMs?: number;
  eqRefreshMs?: number;
  font?: GlyphSource | null;
}
