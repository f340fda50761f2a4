/**
 * Display receipts from devices → ledger, exactly once. A device may send a
 * receipt many times (it resends until acknowledged); the receipt id is the
 * key. Ids are reserved synchronously so two concurrent reports carrying the
 * same receipt cannot both append it.
 */
import type { Clock } from '../clock.js';
import type { NoticeRecord } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { DisplayReceipt, DisplayRecord, DisplayReportResult } from '../protocol/index.js';
import type { Ledger, LedgerRecord } from '../store/ledger.js';
import type { DeviceRecord, StateStore } from '../store/state.js';

export const KIOSK_DISPLAY_TYPE = 'display.kiosk';
/** How many recent display records the admin list can page through without reading the ledger files. */
const RECENT_LIMIT = 10_000;

export interface DisplayService {
  /** Rebuilds the receipt index from the ledger. */
  start(): Promise<void>;
  record(device: DeviceRecord, receipts: readonly DisplayReceipt[]): Promise<DisplayReportResult>;
  /** Newest first. */
  list(query: { limit: number; beforeSeq?: number | undefined }): DisplayRecord[];
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
  const remember = (record: DisplayRecord): void => {
    recent.push(record);
    if (recent.length > RECENT_LIMIT * 1.5) recent.splice(0, recent.length - RECENT_LIMIT);
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

  return {
    async start() {
      for await (const record of deps.ledger.records()) {
        if (record.type !== KIOSK_DISPLAY_TYPE) continue;
        seen.add(String(record.receiptId));
        remember(toDisplayRecord(record));
      }
      deps.logger.info(`display index ready: ${seen.size} receipts`);
    },

    async record(device, receipts) {
      const published = publishedHashes(deps.store.read().notices);
      const recorded: string[] = [];
      const rejected: DisplayReportResult['rejected'] = [];
      const fresh: DisplayReceipt[] = [];
      const waiting: [string, Promise<boolean>][] = [];
      const inBatch = new Set<string>();
      for (const receipt of receipts) {
        if (inBatch.has(receipt.receiptId)) continue;
        inBatch.add(receipt.receiptId);
        const pending = inflight.get(receipt.receiptId);
        if (pending) {
          waiting.push([receipt.receiptId, pending]);
        } else if (seen.has(receipt.receiptId)) {
          recorded.push(receipt.receiptId);
        } else if (!published.has(receipt.noticeId)) {
          rejected.push({ receiptId: receipt.receiptId, reason: `unknown notice ${receipt.noticeId}` });
        } else if (!published.get(receipt.noticeId)?.has(receipt.contentHash)) {
          rejected.push({
            receiptId: receipt.receiptId,
            reason: `no published version of notice ${receipt.noticeId} has content hash ${receipt.contentHash}`,
          });
        } else {
          fresh.push(receipt);
        }
      }
      if (fresh.length > 0) {
        const write = deps.ledger.append(
          fresh.map((r) => ({ type: KIOSK_DISPLAY_TYPE, ...r, deviceId: device.id, villageId: device.villageId })),
        );
        const done = write.then(
          () => true,
          () => false,
        );
        for (const r of fresh) inflight.set(r.receiptId, done);
        try {
          for (const record of await write) {
            const display = toDisplayRecord(record);
            seen.add(display.receiptId);
            remember(display);
            recorded.push(display.receiptId);
            deps.bus.emit('display:recorded', display);
          }
        } finally {
          for (const r of fresh) inflight.delete(r.receiptId);
        }
      }
      for (const [receiptId, pending] of waiting) if (await pending) recorded.push(receiptId);
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
  };
}
