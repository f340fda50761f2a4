/**
 * Kiosk receipts → ledger, exactly once. A receipt is a display, an
 * interaction (opened, read aloud, QR shown, rated) or an emergency
 * acknowledgement. A device resends until acknowledged; the receipt id is the
 * key. Ids are reserved synchronously so two concurrent reports carrying the
 * same receipt cannot both append it.
 *
 * Each device numbers its receipts 1, 2, …; the service keeps the highest
 * number seen and the ones missing below it, so a receipt lost on the device
 * shows up as a gap instead of vanishing silently. Refused receipts are
 * recorded too (as `receipt.rejected`), so they never look like gaps.
 */
import type { Clock } from '../clock.js';
import type { NoticeRecord } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { DisplayRecord, DisplayReportResult, KioskReceipt } from '../protocol/index.js';
import type { Ledger, LedgerRecord, LedgerEntry } from '../store/ledger.js';
import type { DeviceRecord, StateStore } from '../store/state.js';

export const KIOSK_DISPLAY_TYPE = 'display.kiosk';
export const EMERGENCY_ACK_TYPE = 'emergency.acknowledged';
export const INTERACTION_TYPE_PREFIX = 'interaction.';
export const RECEIPT_REJECTED_TYPE = 'receipt.rejected';
/** How many recent display records the admin list can page through without reading the ledger files. */
const RECENT_LIMIT = 10_000;
/** A kiosk may send one rating per notice in this time; more are refused (the kiosk says so before it sends). */
export const RATING_INTERVAL_MS = 10 * 60_000;
/** Missing sequence numbers remembered per device; a device that lost more than this is reported as such. */
const MAX_TRACKED_GAP = 10_000;

export interface ReceiptGaps {
  /** Highest sequence number received from the device. */
  highestSeq: number;
  /** Sequence numbers below it never received, oldest first (at most {@link MAX_TRACKED_GAP}). */
  missing: number[];
}

export interface DisplayService {
  /** Rebuilds the receipt index, sequence numbers and acknowledgements from the ledger. */
  start(): Promise<void>;
  record(device: DeviceRecord, receipts: readonly KioskReceipt[]): Promise<DisplayReportResult>;
  /** Newest first. */
  list(query: { limit: number; beforeSeq?: number | undefined }): DisplayRecord[];
  gaps(deviceId: string): ReceiptGaps;
  /** When each device acknowledged the given notice version's emergency, by device id. */
  emergencyAcks(contentHash: string): ReadonlyMap<string, number>;
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
  };
}

/** The ledger record a receipt becomes. */
function toLedgerRecord(receipt: KioskReceipt, device: DeviceRecord): LedgerEntry {
  const where = { deviceId: device.id, villageId: device.villageId };
  const { kind, ...fields } = receipt;
  switch (kind) {
    case 'display':
      return { type: KIOSK_DISPLAY_TYPE, ...fields, ...where };
    case 'interaction': {
      const { action, ...rest } = fields as Omit<Extract<KioskReceipt, { kind: 'interaction' }>, 'kind'>;
      return { type: `${INTERACTION_TYPE_PREFIX}${action}`, ...rest, ...where };
    }
    case 'emergency_ack':
      return { type: EMERGENCY_ACK_TYPE, ...fields, ...where };
  }
}

const RECEIPT_TYPES = new Set([KIOSK_DISPLAY_TYPE, EMERGENCY_ACK_TYPE, RECEIPT_REJECTED_TYPE]);
const isReceiptRecord = (type: string): boolean => RECEIPT_TYPES.has(type) || type.startsWith(INTERACTION_TYPE_PREFIX);

export function createDisplayService(deps: {
  ledger: Ledger;
  store: StateStore;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}): DisplayService {
  const seen = new Set<string>();
  /** Receipts being written right now: a duplicate waits for the first write instead of being acknowledged early. */
  const inflight = new Map<string, Promise<boolean>>();
  const recent: DisplayRecord[] = [];
  const sequences = new Map<string, { highest: number; missing: Set<number> }>();
  /** content hash → device id → acknowledged at. */
  const acks = new Map<string, Map<string, number>>();
  /** Receipts refused for good, with the reason: a resent one gets the same answer. */
  const refused = new Map<string, string>();
  /** `${deviceId} ${noticeId}` → when its last rating was recorded. */
  const lastRating = new Map<string, number>();

  const remember = (record: DisplayRecord): void => {
    recent.push(record);
    if (recent.length > RECENT_LIMIT * 1.5) recent.splice(0, recent.length - RECENT_LIMIT);
  };
  const noteSeq = (deviceId: string, seq: unknown): void => {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return;
    let s = sequences.get(deviceId);
    if (!s) {
      s = { highest: 0, missing: new Set() };
      sequences.set(deviceId, s);
    }
    if (seq > s.highest) {
      for (let n = Math.max(s.highest + 1, seq - MAX_TRACKED_GAP); n < seq; n++) s.missing.add(n);
      s.highest = seq;
    } else {
      s.missing.delete(seq);
    }
  };
  /** Indexes a receipt record, whether it was just written or read back at start. */
  const index = (record: LedgerRecord): void => {
    const deviceId = String(record.deviceId);
    seen.add(String(record.receiptId));
    noteSeq(deviceId, record.receiptSeq);
    if (record.type === RECEIPT_REJECTED_TYPE) refused.set(String(record.receiptId), String(record.reason));
    if (record.type === KIOSK_DISPLAY_TYPE) remember(toDisplayRecord(record));
    else if (record.type === EMERGENCY_ACK_TYPE) {
      const byDevice = acks.get(String(record.contentHash)) ?? new Map<string, number>();
      if (!byDevice.has(deviceId)) byDevice.set(deviceId, Number(record.at));
      acks.set(String(record.contentHash), byDevice);
    } else if (record.type === `${INTERACTION_TYPE_PREFIX}rated`) {
      lastRating.set(`${deviceId} ${String(record.noticeId)}`, record.ts);
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
      for await (const record of deps.ledger.records()) if (isReceiptRecord(record.type)) index(record);
      deps.logger.info(`receipt index ready: ${seen.size} receipts`);
    },

    async record(device, receipts) {
      const published = publishedHashes(deps.store.read().notices);
      const now = deps.clock.now();
      const recorded: string[] = [];
      const rejected: DisplayReportResult['rejected'] = [];
      const fresh: LedgerEntry[] = [];
      const freshIds: string[] = [];
      const waiting: [string, Promise<boolean>][] = [];
      const inBatch = new Set<string>();
      for (const receipt of receipts) {
        if (inBatch.has(receipt.receiptId)) continue;
        inBatch.add(receipt.receiptId);
        const pending = inflight.get(receipt.receiptId);
        if (pending) {
          waiting.push([receipt.receiptId, pending]);
          continue;
        }
        const earlier = refused.get(receipt.receiptId);
        if (earlier !== undefined) {
          rejected.push({ receiptId: receipt.receiptId, reason: earlier });
          continue;
        }
        if (seen.has(receipt.receiptId)) {
          recorded.push(receipt.receiptId);
          continue;
        }
        const reason = refusal(receipt, device, published, now);
        if (reason !== null) rejected.push({ receiptId: receipt.receiptId, reason });
        // The sequence number travels as receiptSeq: `seq` is the ledger's own.
        const { seq, ...rest } = receipt;
        const base = seq === undefined ? {} : { receiptSeq: seq };
        fresh.push(
          reason === null
            ? { ...toLedgerRecord(rest, device), ...base }
            : {
                type: RECEIPT_REJECTED_TYPE,
                receiptId: receipt.receiptId,
                kind: receipt.kind,
                noticeId: receipt.noticeId,
                reason,
                deviceId: device.id,
                villageId: device.villageId,
                ...base,
              },
        );
        freshIds.push(receipt.receiptId);
        if (reason === null && receipt.kind === 'interaction' && receipt.action === 'rated') {
          // Reserve now so a second rating in the same batch is refused too.
          lastRating.set(`${device.id} ${receipt.noticeId}`, now);
        }
      }
      if (fresh.length > 0) {
        const write = deps.ledger.append(fresh);
        const done = write.then(
          () => true,
          () => false,
        );
        for (const id of freshIds) inflight.set(id, done);
        try {
          for (const record of await write) {
            index(record);
            if (record.type === RECEIPT_REJECTED_TYPE) continue;
            recorded.push(String(record.receiptId));
            if (record.type === KIOSK_DISPLAY_TYPE) deps.bus.emit('display:recorded', toDisplayRecord(record));
          }
        } finally {
          for (const id of freshIds) inflight.delete(id);
        }
      }
      for (const [receiptId, pending] of waiting) {
        if (!(await pending)) continue;
        const reason = refused.get(receiptId);
        if (reason === undefined) recorded.push(receiptId);
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
      const s = sequences.get(deviceId);
      return s ? { highestSeq: s.highest, missing: [...s.missing].sort((a, b) => a - b) } : { highestSeq: 0, missing: [] };
    },

    emergencyAcks: (contentHash) => acks.get(contentHash) ?? new Map(),
  };
}
