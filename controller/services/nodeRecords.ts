/**
 * A village node's proof records → ledger, exactly once, by the design of
 * kiosk receipts (displays.ts): the node resends from its durable outbox
 * until acknowledged; the record id is the key, ids are reserved
 * synchronously so two concurrent batches cannot both append one, and the
 * node's own numbering (receiptWindow.ts) turns a record lost on the node
 * into a visible gap. A record is acknowledged only once the ledger holds it.
 * A node never reuses a number (its outbox keeps the last one across
 * compactions), so a number already answered is a resend at any distance:
 * it gets the answer again without the ledger being read.
 *
 * The ledger records keep the types the controller writes for its own signs
 * (`sign.display`, `sign.link-down`, `sign.link-outage`), so reports read a
 * sign behind a node like any other (a display record of a coalesced
 * rotation also says how many showings it holds, like a kiosk's interval
 * receipt), plus `nodeId`, the node's `recordId`
 * and `recordSeq`, and `clockTrusted`. The village is the sign's, from its
 * profile: a node cannot file evidence for a sign that is not in the town's
 * profiles, for a sign that was never attached to it (the profiles' ledger
 * records name the node, `attachedTo`; a sign moved away keeps taking the
 * records its old node kept while it drove it), nor for a notice version no
 * reviewer approved.
 */
import type { Logger } from '../logger.js';
import type { NodeRecord, NodeRecordsResult, SignProfile } from '../protocol/index.js';
import type { ObservedLedger } from '../reports/index.js';
import { type SavedIndex, indexSnapshotFile } from '../store/indexSnapshot.js';
import type { LedgerEntry, LedgerPosition, LedgerRecord } from '../store/ledger.js';
import type { DeviceRecord, StateStore } from '../store/state.js';
import { DeviceReceipts, type DeviceReceiptsSnapshot, MAX_TRACKED_GAP } from './receiptIndex.js';

export const NODE_RECORD_REJECTED_TYPE = 'node.record-rejected';

/** The node record index's snapshot (store/indexSnapshot.ts). */
export const NODE_RECORD_INDEX_NAME = 'node-records';
const NODE_RECORD_INDEX_FORMAT = 2;

interface NodeRecordIndexData {
  nodes: [nodeId: string, records: DeviceReceiptsSnapshot][];
  /** Sign id → every node it has been attached to. */
  attached: [signId: string, nodeIds: string[]][];
}

export interface NodeRecordService {
  /** Loads each node's record ids and numbering from the index snapshot, then folds the ledger after it (all of it without one). */
  start(): Promise<void>;
  /** The index's snapshot, saved by the controller's index keeper. */
  readonly index: SavedIndex;
  record(node: DeviceRecord, records: readonly NodeRecord[]): Promise<NodeRecordsResult>;
  /** Numbers the node skipped (records lost on the node). */
  missing(nodeId: string): number;
  /** Notes which node each sign is attached to now (call when profiles change): a node may file for the signs it drove. */
  noteAttachments(): void;
}

export function createNodeRecordService(deps: {
  ledger: ObservedLedger;
  /** Where the index's snapshot is kept. */
  dataDir: string;
  now: () => number;
  store: StateStore;
  /** Every sign profile the town has (saved and demo). */
  signs: () => readonly SignProfile[];
  logger: Logger;
}): NodeRecordService {
  const nodes = new Map<string, DeviceReceipts>();
  const inflight = new Map<string, Promise<boolean>>();
  let through = 0;
  let savedSeq = 0;
  const file = indexSnapshotFile<NodeRecordIndexData>({
    dataDir: deps.dataDir,
    name: NODE_RECORD_INDEX_NAME,
    format: NODE_RECORD_INDEX_FORMAT,
    logger: deps.logger,
  });
  const load = async (): Promise<LedgerPosition | undefined> => {
    const loaded = await file.load((position) => deps.ledger.holds(position));
    if (!loaded) return undefined;
    try {
      for (const [id, d] of loaded.data.nodes) nodes.set(id, DeviceReceipts.fromSnapshot(d));
      for (const [sign, by] of loaded.data.attached) attached.set(sign, new Set(by));
      return loaded.position;
    } catch (error) {
      deps.logger.warn('the node record index snapshot does not restore; rebuilding from the ledger', { error });
      nodes.clear();
      attached.clear();
      return undefined;
    }
  };
  const stateOf = (nodeId: string): DeviceReceipts => {
    let s = nodes.get(nodeId);
    if (!s) nodes.set(nodeId, (s = new DeviceReceipts()));
    return s;
  };
  /** Sign id → every node it has been attached to. */
  const attached = new Map<string, Set<string>>();
  const attach = (signId: string, nodeId: unknown): void => {
    if (typeof nodeId !== 'string') return;
    let nodes = attached.get(signId);
    if (!nodes) attached.set(signId, (nodes = new Set()));
    nodes.add(nodeId);
  };
  const noteAttachments = (): void => {
    for (const p of deps.signs()) attach(p.id, p.node);
  };
  const index = (record: LedgerRecord): void => {
    if (record.type === 'sign.profile-saved' || record.type === 'sign.removed') attach(String(record.signId), record.attachedTo);
    if (record.type === 'sign.moved') attach(String(record.signId), record.fromNode);
    if (typeof record.nodeId !== 'string' || typeof record.recordId !== 'string') return;
    const state = stateOf(record.nodeId);
    state.add(record.recordId, record.type === NODE_RECORD_REJECTED_TYPE ? String(record.reason) : null);
    state.noteSeq(record.recordSeq, record.seq);
  };
  /** Hashes of the versions a reviewer approved, rebuilt only when the notices change (each state write replaces the array). */
  let approved: { notices: unknown; hashes: Set<string> } | null = null;
  const published = (contentHash: string): boolean => {
    const notices = deps.store.read().notices;
    if (approved?.notices !== notices) {
      const hashes = new Set(notices.flatMap((n) => n.versions.filter((v) => v.review?.decision === 'approved').map((v) => v.contentHash)));
      approved = { notices, hashes };
    }
    return approved.hashes.has(contentHash);
  };

  /**
   * The ledger entry a record becomes, or its refusal. Each field named once, no rest or spread: a week's backlog is
   * hundreds of thousands of records, and copying a record's shape member by member measured several times the
   * cost of the rest of this path.
   */
  const entryOf = (node: DeviceRecord, record: NodeRecord, profiles: ReadonlyMap<string, SignProfile>): LedgerEntry => {
    const nodeId = node.id;
    const { recordId, seq: recordSeq, clockTrusted } = record;
    const refuse = (reason: string): LedgerEntry => ({
      type: NODE_RECORD_REJECTED_TYPE,
      kind: record.type,
      reason,
      nodeId,
      recordId,
      recordSeq,
      clockTrusted,
    });
    if (record.type === 'node.uplink-down')
      return { type: record.type, at: record.at, villageId: node.villageId, nodeId, recordId, recordSeq, clockTrusted };
    if (record.type === 'node.uplink-outage')
      return {
        type: record.type,
        start: record.start,
        end: record.end,
        villageId: node.villageId,
        nodeId,
        recordId,
        recordSeq,
        clockTrusted,
      };
    const profile = profiles.get(record.signId);
    if (!profile) return refuse(`unknown sign ${record.signId}`);
    if (profile.node !== nodeId && !(attached.get(profile.id)?.has(nodeId) ?? false))
      return refuse(`sign ${record.signId} was never attached to this node`);
    const villageId = profile.villageId;
    switch (record.type) {
      case 'sign.display':
        if (!published(record.contentHash)) return refuse(`no published notice version has content hash ${record.contentHash}`);
        return {
          type: record.type,
          signId: record.signId,
          contentHash: record.contentHash,
          start: record.start,
          end: record.end,
          proof: record.proof,
          endReason: record.endReason,
          ...(record.showings === undefined ? {} : { showings: record.showings, shownMs: record.shownMs }),
          villageId,
          nodeId,
          recordId,
          recordSeq,
          clockTrusted,
        };
      case 'sign.link-down':
        return {
          type: record.type,
          signId: record.signId,
          at: record.at,
          cause: record.cause,
          portPath: profile.port.path,
          villageId,
          nodeId,
          recordId,
          recordSeq,
          clockTrusted,
        };
      case 'sign.link-outage':
        return {
          type: record.type,
          signId: record.signId,
          start: record.start,
          end: record.end,
          cause: record.cause,
          portPath: profile.port.path,
          villageId,
          nodeId,
          recordId,
          recordSeq,
          clockTrusted,
        };
    }
  };

  return {
    async start() {
      const after = await load();
      savedSeq = after?.seq ?? 0;
      through = savedSeq;
      let replayed = 0;
      for await (const record of deps.ledger.records(after ? { after } : undefined)) {
        index(record);
        through = record.seq;
        replayed++;
      }
      noteAttachments();
      // Every durable record is folded before its sender goes on.
      deps.ledger.onAppended((records) => {
        for (const record of records) {
          index(record);
          through = record.seq;
        }
      });
      deps.logger.info(`node record index ready: ${nodes.size} node(s) (snapshot at ${savedSeq}, ${replayed} records read)`);
    },

    index: {
      name: NODE_RECORD_INDEX_NAME,
      throughSeq: () => through,
      savedSeq: () => savedSeq,
      async save(position) {
        await file.save(
          position,
          { nodes: [...nodes].map(([id, d]) => [id, d.toSnapshot()]), attached: [...attached].map(([sign, by]) => [sign, [...by]]) },
          deps.now(),
        );
        savedSeq = position.seq;
      },
    },

    async record(node, records) {
      const state = stateOf(node.id);
      const profiles = new Map(deps.signs().map((p) => [p.id, p]));
      const result: NodeRecordsResult = { recorded: [], rejected: [] };
      const answer = (recordId: string, reason: string | null | undefined): void => {
        if (reason === null) result.recorded.push(recordId);
        else if (reason !== undefined) result.rejected.push({ recordId, reason });
      };
      const fresh: LedgerEntry[] = [];
      const freshIds: string[] = [];
      const waiting: [string, Promise<boolean>][] = [];
      const inBatch = new Set<string>();
      for (const record of records) {
        if (inBatch.has(record.recordId)) continue;
        inBatch.add(record.recordId);
        const pending = inflight.get(record.recordId);
        const earlier = pending ? undefined : state.find(record.recordId);
        if (pending) waiting.push([record.recordId, pending]);
        else if (earlier !== undefined) answer(record.recordId, earlier);
        else if (state.seqs.has(record.seq)) answer(record.recordId, null);
        else {
          fresh.push(entryOf(node, record, profiles));
          freshIds.push(record.recordId);
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
          // Already in the index: the ledger's listener (start) folded each record before this goes on.
          for (const written of await write) {
            answer(String(written.recordId), written.type === NODE_RECORD_REJECTED_TYPE ? String(written.reason) : null);
          }
        } finally {
          for (const id of freshIds) inflight.delete(id);
        }
      }
      for (const [recordId, pending] of waiting) if (await pending) answer(recordId, state.find(recordId));
      return result;
    },

    noteAttachments,

    missing: (nodeId) => nodes.get(nodeId)?.seqs.missing(MAX_TRACKED_GAP).length ?? 0,
  };
}
