/**
 * A simulated kiosk for fault runs and the soak: a socket.io client with the
 * kiosk app's own receipt logic — the real outbox (kiosk/outbox.ts) over the
 * real in-memory receipt store (per-device sequence numbers, resend until
 * acknowledged) and the real heartbeat (kiosk/heartbeat.ts, which decides
 * whether the kiosk trusts its clock) — and socket.io's reconnection with
 * backoff, as the app's link has. Only the screen is missing: a timer moves
 * through the playlist and records a display receipt per card.
 *
 * Its clock can jump (`jump(ms)`), and it can lose receipts from its storage
 * (`lose(n)`) so that the controller has a sequence gap to report.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  DisplayReportResult,
  HeartbeatAnswer,
  KioskClientToServerEvents,
  KioskReceipt,
  KioskServerToClientEvents,
  Playlist,
  PlaylistItem,
} from '../../controller/protocol/index.js';
import { startHeartbeat } from '../../kiosk/heartbeat';
import type { KioskLink } from '../../kiosk/link';
import { type Outbox, createOutbox } from '../../kiosk/outbox';
import { type ReceiptStore, createMemoryReceiptStore } from '../../kiosk/receiptStore';

export interface SimKioskOptions {
  /** Base URL (through the kiosk's fault proxy). */
  url: string;
  deviceId: string;
  token: string;
  /** One display receipt per card, one card per this many ms (device clock). */
  cardMs: number;
  heartbeatMs: number;
  /** How long a report or heartbeat waits for its answer (the app waits 15 s). */
  answerTimeoutMs: number;
  /** The device clock: the wall clock by default (the soak passes its accelerated clock). */
  now?: () => number;
  /** socket.io reconnection backoff (the app uses socket.io's defaults: 1 s doubling to 5 s). */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
  /** Handshake timeout. */
  connectTimeoutMs?: number;
}

export interface SimKioskSnapshot {
  deviceId: string;
  connected: boolean;
  /** Receipts the controller said it recorded. */
  acked: string[];
  /** Receipts the controller refused for good (never expected in a fault run). */
  rejected: { receiptId: string; reason: string }[];
  /** Receipts made and lost from storage before they were sent (must show as a gap). */
  lost: number[];
  pending: number;
  quarantined: number;
  clockTrusted: boolean;
  clockOffsetMs: number | null;
  playlistItems: number;
}

type KioskSocket = Socket<KioskServerToClientEvents, KioskClientToServerEvents>;

export class SimKiosk {
  private readonly socket: KioskSocket;
  private readonly store: ReceiptStore;
  private readonly outbox: Outbox;
  private readonly heartbeat: ReturnType<typeof startHeartbeat>;
  private readonly acked = new Set<string>();
  private readonly rejected: { receiptId: string; reason: string }[] = [];
  private readonly lostSeqs: number[] = [];
  private playlist: PlaylistItem[] = [];
  private card: { item: PlaylistItem; since: number } | null = null;
  private cursor = 0;
  private skewMs = 0;
  private producing = true;
  private rotation: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: SimKioskOptions) {
    const now = (): number => (options.now ?? Date.now)() + this.skewMs;
    this.now = now;
    this.store = createMemoryReceiptStore();
    this.socket = io(`${options.url}/kiosk`, {
      auth: { deviceId: options.deviceId, token: options.token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 1_000,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 5_000,
      timeout: options.connectTimeoutMs ?? 20_000,
    });
    const link: KioskLink = {
      report: (receipts) => this.report(receipts),
      heartbeat: (beat) => {
        if (!this.socket.connected) return Promise.reject(new Error('not connected'));
        return this.socket.timeout(options.answerTimeoutMs).emitWithAck('device:heartbeat', beat) as Promise<Ack<HeartbeatAnswer>>;
      },
      close: () => this.socket.close(),
    };
    this.outbox = createOutbox({ store: this.store, send: (receipts) => link.report(receipts), now, retryMs: 1_000 });
    this.heartbeat = startHeartbeat({
      link: () => link,
      now,
      every: options.heartbeatMs,
      beat: () => ({
        build: 'sim',
        showing: this.card ? { noticeId: this.card.item.noticeId, contentHash: this.card.item.contentHash } : null,
        queued: this.outbox.pendingCount(),
        quarantined: this.outbox.quarantinedCount(),
      }),
    });
    this.socket.on('connect', () => {
      this.outbox.setConnected(true);
      void this.heartbeat.beatNow();
    });
    this.socket.on('disconnect', () => this.outbox.setConnected(false));
    this.socket.on('playlist:updated', (playlist: Playlist) => {
      this.playlist = playlist.items;
    });
    this.rotation = setInterval(() => this.turn(), options.cardMs);
  }

  private async report(receipts: KioskReceipt[]): Promise<Ack<DisplayReportResult>> {
    if (!this.socket.connected) throw new Error('not connected');
    // The typed emitWithAck loses its answer type through timeout(); the controller answers Ack<DisplayReportResult>.
    const ack = (await this.socket
      .timeout(this.options.answerTimeoutMs)
      .emitWithAck('display:report', { receipts })) as Ack<DisplayReportResult>;
    if (ack.ok) {
      for (const id of ack.data.recorded) this.acked.add(id);
      this.rejected.push(...ack.data.rejected);
    }
    return ack;
  }

  /** The card on screen ends (one receipt), the next one starts; as kiosk/rotation.ts, an end never precedes its start. */
  private turn(): void {
    if (this.stopped) return;
    const at = this.now();
    const previous = this.card;
    if (previous && this.producing) {
      void this.outbox.add({
        kind: 'display',
        noticeId: previous.item.noticeId,
        contentHash: previous.item.contentHash,
        startedAt: previous.since,
        endedAt: Math.max(at, previous.since),
        clockTrusted: this.heartbeat.clock.trusted(),
      });
    }
    const next = this.playlist.length > 0 ? this.playlist[this.cursor++ % this.playlist.length] : undefined;
    this.card = next ? { item: next, since: at } : null;
  }

  /** The device clock jumps by `ms` (forward or back). */
  jump(ms: number): void {
    this.skewMs += ms;
    // The card on screen started on the old clock; the kiosk's rotation clamps, so must this.
    if (this.card) this.card.since = Math.min(this.card.since, this.now());
  }

  setProducing(on: boolean): void {
    this.producing = on;
  }

  /** Receipts written to storage and lost before sending (a damaged store): they use up sequence numbers. */
  async lose(n: number): Promise<void> {
    const item = this.playlist[0];
    if (!item) throw new Error(`${this.options.deviceId} has nothing to show, so nothing to lose`);
    const at = this.now();
    this.outbox.setConnected(false);
    try {
      const stored = await this.store.append(
        Array.from({ length: n }, (_, i) => ({
          kind: 'display' as const,
          receiptId: crypto.randomUUID(),
          noticeId: item.noticeId,
          contentHash: item.contentHash,
          startedAt: at - 1000 + i,
          endedAt: at,
          clockTrusted: this.heartbeat.clock.trusted(),
        })),
      );
      await this.store.remove(stored.map((r) => r.seq));
      this.lostSeqs.push(...stored.map((r) => r.seq));
    } finally {
      this.outbox.setConnected(this.socket.connected);
    }
  }

  /** The network drops for `ms` (real time): the socket closes, and reconnects with backoff afterwards. */
  dropFor(ms: number): void {
    this.socket.disconnect();
    setTimeout(() => {
      if (!this.stopped) this.socket.connect();
    }, ms).unref();
  }

  /** Sends a heartbeat now (the app beats every half minute). */
  beat(): Promise<void> {
    return this.heartbeat.beatNow();
  }

  snapshot(): SimKioskSnapshot {
    return {
      deviceId: this.options.deviceId,
      connected: this.socket.connected,
      acked: [...this.acked],
      rejected: [...this.rejected],
      lost: [...this.lostSeqs],
      pending: this.outbox.pendingCount(),
      quarantined: this.outbox.quarantinedCount(),
      clockTrusted: this.heartbeat.clock.trusted(),
      clockOffsetMs: this.heartbeat.clock.offsetMs(),
      playlistItems: this.playlist.length,
    };
  }

  close(): void {
    this.stopped = true;
    if (this.rotation) clearInterval(this.rotation);
    this.heartbeat.stop();
    this.outbox.stop();
    this.socket.close();
  }
}
