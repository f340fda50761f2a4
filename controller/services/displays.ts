/**
 * Kiosk receipts → ledger, exactly once. A receipt is a display (one showing,
 * or a period's showings of one version coalesced on the kiosk), an
 * interaction (opened, read aloud, QR shown, rated) or an emergency
 * acknowledgement. A device resends until acknowledged; the receipt id is the
 * key. Ids are reserved synchronously so two concurrent reports carrying the
 * same receipt cannot both append it.
 *
 * Each device numbers its receipts 1, 2, …; the service keeps the highest
 * number seen and the ones missing below it, so a receipt lost on the device
 * shows up as a gap instead of vanishing silently. Refused receipts are
 * recorded too (as `receipt.rejected`), so they never look like gaps.
 *
 * Deduplication is exact at any distance and its memory grows with the gaps
 * in each device's numbering, not with its receipts: the numbers answered as
 * runs, a window of recent ids, and the ledger as the index of older ones
 * (receiptIndex.ts); ratings are remembered for {@link RATING_INTERVAL_MS}.
 */
import type { Clock } from '../clock.js';
import type { NoticeRecord } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type DisplayRecord, type DisplayReportResult, type KioskReceipt, maskPii } from '../protocol/index.js';
import type { ObservedLedger } from '../reports/index.js';
import { type SavedIndex, indexSnapshotFile } from '../store/indexSnapshot.js';
import type { LedgerPosition, LedgerRecord, LedgerEntry } from '../store/ledger.js';
import type { DeviceRecord, StateStore } from '../store/state.js';
import { DeviceReceipts, type DeviceReceiptsSnapshot, RECEIPT_SEQ_RESET_TYPE, MAX_TRACKED_GAP, isReceiptSeq } from './receiptIndex.js';

export { RECEIPT_SEQ_RESET_TYPE } from './receiptIndex.js';

export const KIOSK_DISPLAY_TYPE = 'display.kiosk' as const;
/** A kiosk's showings of one version in one period of controller time, coalesced on the kiosk (protocol/showings.ts). */
export const KIOSK_INTERVAL_TYPE = 'display.kiosk-interval' as const;
const isDisplayType = (type: string): boolean => type === KIOSK_DISPLAY_TYPE || type === KIOSK_INTERVAL_TYPE;
export const EMERGENCY_ACK_TYPE = 'emergency.acknowledged' as const;
export const INTERACTION_TYPE_PREFIX = 'interaction.' as const;
export const RECEIPT_REJECTED_TYPE = 'receipt.rejected' as const;
/** How many recent display records the admin list can page through without reading the ledger files. */
const RECENT_LIMIT = 10_000;
/** A kiosk may send one rating per notice in this time; more are refused (the kiosk says so before it sends). */
export const RATING_INTERVAL_MS = 10 * 60_000;

export interface ReceiptGaps {
  /** Highest sequence number received from the device. */
  highestSeq: number;
  /** Sequence numbers below it never received, oldest first (at most `MAX_TRACKED_GAP`, receiptIndex.ts). */
  missing: number[];
}

/** The receipt index's snapshot (store/indexSnapshot.ts); a new format number makes older snapshots rebuild. */
export const RECEIPT_INDEX_NAME = 'receipts';
const RECEIPT_INDEX_FORMAT = 1;

interface ReceiptIndexData {
  devices: [deviceId: string, receipts: DeviceReceiptsSnapshot][];
  recent: DisplayRecord[];
  acks: [contentHash: string, byDevice: [deviceId: string, at: number][]][];
  ratings: [key: string, at: number][];
}

export interface DisplayService {
  /**
   * Loads the receipt index from its snapshot and folds the ledger's records after it (all of them without a
   * usable snapshot), then follows every append.
   */
  start(): Promise<void>;
  /** The index's snapshot, saved by the controller's index keeper. */
  readonly index: SavedIndex;
  /** How the last start got the index: the snapshot's seq (0: none) and the records read after it. */
  startedFrom(): { snapshotSeq: number; replayed: number };
  record(device: DeviceRecord, receipts: readonly KioskReceipt[]): Promise<DisplayReportResult>;
  /** Newest first. */
  list(query: { limit: number; beforeSeq?: number | undefined }): DisplayRecord[];
  gaps(deviceId: string): ReceiptGaps;
  /** When each device acknowledged the given notice version's emergency, by device id. */
  emergencyAcks(contentHash: string): ReadonlyMap<string, number>;
  /** What the deduplication holds now: receipt ids (at most `RECEIPT_ID_WINDOW` per device), runs of receipt numbers and rating times. */
  retained(): { devices: number; receiptIds: number; numberRuns: number; ratings: number };
}

function toDisplayRecord(record: LedgerRecord): DisplayRecord {
  const r = record as unknown as DisplayRecord & { ts: number };
  return {
    seq: record.seq,
    receiptId: r.receiptId,
    deviceId: r.deviceId,
    villageId: r.villageId,
    noticeId: r.noticeId,
    contentHash: r.contentHash,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    clockTrusted: r.clockTrusted,
    recordedAt: record.ts,
    ...(record.type === KIOSK_INTERVAL_TYPE ? { showings: Number(record.showings), shownMs: Number(record.shownMs) } : {}),
  };
}

/** The ledger record a receipt becomes. */
function toLedgerRecord(receipt: KioskReceipt, device: DeviceRecord): LedgerEntry {
  // The sequence number travels as receiptSeq (receiptEntry adds it): `seq` is the ledger's own.
  const where = { deviceId: device.id, villageId: device.villageId };
  switch (receipt.kind) {
    case 'display': {
      const { kind: _kind, seq: _seq, ...fields } = receipt;
      return { type: KIOSK_DISPLAY_TYPE, ...fields, ...where };
    }
    case 'showings': {
      const { kind: _kind, seq: _seq, ...fields } = receipt;
      return { type: KIOSK_INTERVAL_TYPE, ...fields, ...where };
    }
    case 'interaction': {
      const { kind: _kind, seq: _seq, action, comment, ...fields } = receipt;
      // Nobody reviews a villager's comment before it is in the ledger for good: mask it on the way in.
      return {
        type: `${INTERACTION_TYPE_PREFIX}${action}`,
        ...fields,
        ...(comment === undefined ? {} : { comment: maskPii(comment) }),
        ...where,
      };
    }
    case 'emergency_ack': {
      const { kind: _kind, seq: _seq, ...fields } = receipt;
      return { type: EMERGENCY_ACK_TYPE, ...fields, ...where };
    }
  }
}

/**
 * The ledger record a receipt becomes, or its refusal (`receipt.rejected`) when `reason` is not null. A receipt
 * without the kiosk's own clock offset gets the controller's last measurement, if any (reports/projection/receiptTime.ts).
 */
function receiptEntry(receipt: KioskReceipt, device: DeviceRecord, reason: string | null, offset: number | null): LedgerEntry {
  const base = receipt.seq === undefined ? {} : { receiptSeq: receipt.seq };
  if (reason === null) {
    const measured = receipt.clockOffsetMs === undefined && offset !== null ? { clockOffsetMs: Math.round(offset) } : {};
    return { ...toLedgerRecord(receipt, device), ...base, ...measured };
  }
  return {
    type: RECEIPT_REJECTED_TYPE,
    receiptId: receipt.receiptId,
    kind: receipt.kind,
    noticeId: receipt.noticeId,
    reason,
    deviceId: device.id,
    villageId: device.villageId,
    ...base,
  };
}

const RECEIPT_TYPES = new Set([KIOSK_DISPLAY_TYPE, KIOSK_INTERVAL_TYPE, EMERGENCY_ACK_TYPE, RECEIPT_REJECTED_TYPE, RECEIPT_SEQ_RESET_TYPE]);
const isReceiptRecord = (type: string): boolean => RECEIPT_TYPES.has(type) || type.startsWith(INTERACTION_TYPE_PREFIX);

export function createDisplayService(deps: {
  ledger: ObservedLedger;
  /** Where the index's snapshot is kept. */
  dataDir: string;
  store: StateStore;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** How far the device's clock was off at its last heartbeat (device minus controller), if known. */
  clockOffset?: (deviceId: string) => number | null;
}): DisplayService {
  /** Per device: its sequence numbers, where they are in the ledger, and its recent receipt ids (receiptIndex.ts). */
  const devices = new Map<string, DeviceReceipts>();
  /** Receipts being written right now: a duplicate waits for the first write instead of being acknowledged early. */
  const inflight = new Map<string, Promise<boolean>>();
  const recent: DisplayRecord[] = [];
  /** content hash → device id → acknowledged at. */
  const acks = new Map<string, Map<string, number>>();
  /** `${deviceId} ${noticeId}` → when its last rating was recorded; entries older than {@link RATING_INTERVAL_MS} are dropped. */
  const lastRating = new Map<string, number>();
  let ratingsSweptAt = 0;
  /** The last ledger record folded (of any type), and the snapshot on disk. */
  let through = 0;
  let savedSeq = 0;
  let origin = { snapshotSeq: 0, replayed: 0 };
  const file = indexSnapshotFile<ReceiptIndexData>({
    dataDir: deps.dataDir,
    name: RECEIPT_INDEX_NAME,
    format: RECEIPT_INDEX_FORMAT,
    logger: deps.logger,
  });

  const deviceState = (deviceId: string): DeviceReceipts => {
    let d = devices.get(deviceId);
    if (!d) devices.set(deviceId, (d = new DeviceReceipts()));
    return d;
  };
  const sweepRatings = (now: number): void => {
    if (now - ratingsSweptAt < RATING_INTERVAL_MS) return;
    ratingsSweptAt = now;
    for (const [key, at] of lastRating) if (now - at >= RATING_INTERVAL_MS) lastRating.delete(key);
  };
  const remember = (record: DisplayRecord): void => {
    recent.push(record);
    if (recent.length > RECENT_LIMIT * 1.5) recent.splice(0, recent.length - RECENT_LIMIT);
  };
  /** Indexes a receipt record, whether it was just written or read back at start. */
  const index = (record: LedgerRecord): void => {
    const deviceId = String(record.deviceId);
    const state = deviceState(deviceId);
    if (record.type === RECEIPT_SEQ_RESET_TYPE) {
      state.rebase();
      return;
    }
    state.add(String(record.receiptId), record.type === RECEIPT_REJECTED_TYPE ? String(record.reason) : null);
    state.noteSeq(record.receiptSeq, record.seq);
    if (isDisplayType(record.type)) remember(toDisplayRecord(record));
    else if (record.type === EMERGENCY_ACK_TYPE) {
      const byDevice = acks.get(String(record.contentHash)) ?? new Map<string, number>();
      if (!byDevice.has(deviceId)) byDevice.set(deviceId, Number(record.at));
      acks.set(String(record.contentHash), byDevice);
    } else if (record.type === `${INTERACTION_TYPE_PREFIX}rated`) {
      lastRating.set(`${deviceId} ${String(record.noticeId)}`, record.ts);
    }
  };

  const snapshotData = (): ReceiptIndexData => ({
    devices: [...devices].map(([id, d]) => [id, d.toSnapshot()]),
    recent: recent.slice(-RECENT_LIMIT),
    acks: [...acks].map(([hash, byDevice]) => [hash, [...byDevice]]),
    ratings: [...lastRating],
  });
  const clear = (): void => {
    devices.clear();
    recent.length = 0;
    acks.clear();
    lastRating.clear();
  };
  const restore = (data: ReceiptIndexData): void => {
    for (const [id, d] of data.devices) devices.set(id, DeviceReceipts.fromSnapshot(d));
    recent.push(...data.recent);
    for (const [hash, byDevice] of data.acks) acks.set(hash, new Map(byDevice));
    for (const [key, at] of data.ratings) lastRating.set(key, at);
  };
  /** Loads the snapshot; the position to read the ledger from, or undefined for the whole ledger. */
  const load = async (): Promise<LedgerPosition | undefined> => {
    const loaded = await file.load((position) => deps.ledger.holds(position));
    if (!loaded) return undefined;
    try {
      restore(loaded.data);
      return loaded.position;
    } catch (error) {
      deps.logger.warn('the receipt index snapshot does not restore; rebuilding from the ledger', { error });
      clear();
      return undefined;
    }
  };

  /**
   * Notice id → hashes of its versions a reviewer approved: a receipt must name words that were published.
   * Every report batch asks, so it is rebuilt only when the notices change (each state write replaces the array).
   */
  let cache: { notices: readonly NoticeRecord[]; hashes: Map<string, Set<string>> } | null = null;
  const publishedHashes = (notices: readonly NoticeRecord[]): Map<string, Set<string>> => {
    if (cache?.notices !== notices) {
      const hashes = new Map(
        notices.map((n) => [n.id, new Set(n.versions.filter((v) => v.review?.decision === 'approved').map((v) => v.contentHash))]),
      );
      cache = { notices, hashes };
    }
    return cache.hashes;
  };

  /**
   * The earlier answers to these receipts, found in the ledger between the seqs where the device's receipts with
   * their numbers were written: receipt id → null (recorded) or the reason it was refused; absent if not there.
   */
  const lookUp = async (deviceId: string, state: DeviceReceipts, asked: readonly KioskReceipt[]): Promise<Map<string, string | null>> => {
    const found = new Map<string, string | null>();
    const where = state.whereAre(asked.map((r) => r.seq ?? 0));
    if (!where) return found;
    const wanted = new Set(asked.map((r) => r.receiptId));
    const containing = `"deviceId":${JSON.stringify(deviceId)}`;
    for await (const record of deps.ledger.records({ ...where, containing })) {
      const id = record.receiptId;
      if (typeof id !== 'string' || !wanted.has(id) || record.deviceId !== deviceId || !isReceiptRecord(record.type)) continue;
      found.set(id, record.type === RECEIPT_REJECTED_TYPE ? String(record.reason) : null);
    }
    return found;
  };

  /** Why a receipt can never be recorded, or null if it can. */
  const refusal = (receipt: KioskReceipt, device: DeviceRecord, published: Map<string, Set<string>>, now: number): string | null => {
    const hashes = published.get(receipt.noticeId);
    if (!hashes) return `unknown notice ${receipt.noticeId}`;
    if (!hashes.has(receipt.contentHash))
      return `no published version of notice ${receipt.noticeId} has content hash ${receipt.contentHash}`;
    if (receipt.kind === 'interaction' && receipt.action === 'rated') {
      const last = lastRating.get(`${device.id} ${receipt.noticeId}`);
      if (last !== undefined && now - last < RATING_INTERVAL_MS)
        return 'this kiosk rated this notice a few minutes ago; one rating per notice every 10 minutes';
    }
    return null;
  };

  return {
    async start() {
      const after = await load();
      savedSeq = after?.seq ?? 0;
      through = savedSeq;
      let replayed = 0;
      for await (const record of deps.ledger.records(after ? { after } : undefined)) {
        if (isReceiptRecord(record.type)) index(record);
        through = record.seq;
        replayed++;
      }
      origin = { snapshotSeq: savedSeq, replayed };
      // From here on every durable record is folded before its sender goes on (and before a timer can save).
      deps.ledger.onAppended((records) => {
        for (const record of records) {
          if (isReceiptRecord(record.type)) index(record);
          through = record.seq;
        }
      });
      sweepRatings(deps.clock.now());
      const held = [...devices.values()].reduce((n, d) => n + d.size, 0);
      deps.logger.info(
        `receipt index ready: ${devices.size} devices, ${held} recent receipt ids (snapshot at ${savedSeq}, ${replayed} records read)`,
      );
    },

    index: {
      name: RECEIPT_INDEX_NAME,
      throughSeq: () => through,
      savedSeq: () => savedSeq,
      async save(position) {
        await file.save(position, snapshotData(), deps.clock.now());
        savedSeq = position.seq;
      },
    },

    startedFrom: () => origin,

    async record(device, receipts) {
      const published = publishedHashes(deps.store.read().notices);
      const now = deps.clock.now();
      sweepRatings(now);
      const state = deviceState(device.id);
      const recorded: string[] = [];
      const rejected: DisplayReportResult['rejected'] = [];
      const waiting: [string, Promise<boolean>][] = [];
      const inBatch = new Set<string>();
      /** Receipts this batch answers, reserved (synchronously, before any await) so a concurrent batch waits for them. */
      const mine: KioskReceipt[] = [];
      const answer = (receiptId: string, earlier: string | null): void => {
        if (earlier === null) recorded.push(receiptId);
        else rejected.push({ receiptId, reason: earlier });
      };
      for (const receipt of receipts) {
        if (inBatch.has(receipt.receiptId)) continue;
        inBatch.add(receipt.receiptId);
        const pending = inflight.get(receipt.receiptId);
        if (pending) {
          waiting.push([receipt.receiptId, pending]);
          continue;
        }
        const earlier = state.find(receipt.receiptId);
        if (earlier !== undefined) answer(receipt.receiptId, earlier);
        else mine.push(receipt);
      }
      let settle = (_written: boolean): void => undefined;
      const done = new Promise<boolean>((resolve) => (settle = resolve));
      for (const receipt of mine) inflight.set(receipt.receiptId, done);
      let written = false;
      try {
        // Numbers already answered, with ids not in the window: the ledger says whether these are resends.
        const asked = mine.filter((r) => isReceiptSeq(r.seq) && state.seqs.has(r.seq));
        const found = asked.length > 0 ? await lookUp(device.id, state, asked) : new Map<string, string | null>();
        const fresh: LedgerEntry[] = [];
        const offset = deps.clockOffset?.(device.id) ?? null;
        /** This batch re-based the kiosk's numbering: its other receipts are new too. */
        let rebased = false;
        for (const receipt of mine) {
          const earlier = found.get(receipt.receiptId);
          if (earlier !== undefined) {
            state.add(receipt.receiptId, earlier);
            answer(receipt.receiptId, earlier);
            continue;
          }
          if (!rebased && asked.includes(receipt)) {
            rebased = true;
            deps.logger.warn(
              `kiosk ${device.id} uses receipt number ${String(receipt.seq)} again with a new receipt (highest so far ${state.highest}): its storage was reset, restored or cloned; re-basing`,
            );
            fresh.push({
              type: RECEIPT_SEQ_RESET_TYPE,
              deviceId: device.id,
              villageId: device.villageId,
              previousHighest: state.highest,
              firstSeq: receipt.seq,
              firstReceiptId: receipt.receiptId,
            });
          }
          const reason = refusal(receipt, device, published, now);
          if (reason !== null) rejected.push({ receiptId: receipt.receiptId, reason });
          fresh.push(receiptEntry(receipt, device, reason, offset));
          if (reason === null && receipt.kind === 'interaction' && receipt.action === 'rated') {
            // Reserve now so a second rating in the same batch is refused too.
            lastRating.set(`${device.id} ${receipt.noticeId}`, now);
          }
        }
        if (fresh.length > 0) {
          // Each record is already in the index: the ledger's listener (start) folded it before this goes on.
          for (const record of await deps.ledger.append(fresh)) {
            if (record.type === RECEIPT_REJECTED_TYPE || record.type === RECEIPT_SEQ_RESET_TYPE) continue;
            recorded.push(String(record.receiptId));
            if (isDisplayType(record.type)) deps.bus.emit('display:recorded', toDisplayRecord(record));
          }
        }
        written = true;
      } finally {
        for (const receipt of mine) inflight.delete(receipt.receiptId);
        settle(written);
      }
      for (const [receiptId, pending] of waiting) {
        if (!(await pending)) continue;
        const reason = state.find(receiptId);
        if (reason === undefined || reason === null) recorded.push(receiptId);
        else rejected.push({ receiptId, reason });
      }
      return { recorded, rejected };
    },

    list({ limit, beforeSeq }) {
      const out: DisplayRecord[] = [];
      for (let i = recent.length - 1; i >= 0 && out.length < limit; i--) {
        const r = recent[i];
        if (r && (beforeSeq === undefined || r.seq < beforeSeq)) out.push(r);
      }
      return out;
    },

    gaps(deviceId) {
      const s = devices.get(deviceId);
      return s ? { highestSeq: s.highest, missing: s.seqs.missing(MAX_TRACKED_GAP) } : { highestSeq: 0, missing: [] };
    },

    emergencyAcks: (contentHash) => acks.get(contentHash) ?? new Map(),

    retained: () => ({
      devices: devices.size,
      receiptIds: [...devices.values()].reduce((n, d) => n + d.size, 0),
      numberRuns: [...devices.values()].reduce((n, d) => n + d.seqs.runCount, 0),
      ratings: lastRating.size,
    }),
  };
}
