/**
 * Child process: everything the soak's controller serves, so that none of it
 * runs on the event loop being measured. 200 simulated kiosks (the kiosk
 * app's outbox, sequence numbers and heartbeats, on the simulated clock), two
 * staff browsers on `/admin` counting what they are sent, and the staff's
 * work: notices published (some for a few days only, so they expire),
 * corrected and withdrawn, and emergencies; and kiosks dropping off the
 * network at random. Answers `stats` requests; exits on `stop`.
 */
import { io } from 'socket.io-client';
import type { NoticeContentRequest } from '../../controller/protocol/index.js';
import { SimKiosk } from '../helpers/simKiosk.js';
import { type SimTime, acceleratedClock, realMs } from './clock.js';
import { soakStaff } from './staff.js';
import { SOAK_TOKEN_PREFIX, kioskId, villageId } from './town.js';

export interface LoadConfig {
  url: string;
  time: SimTime;
  kiosks: number;
  villages: number;
  /** Simulated ms per kiosk card (one display receipt each). */
  cardSimMs: number;
  heartbeatSimMs: number;
  /** Staff work rounds a simulated day: each publishes a notice and may correct, withdraw or raise an emergency (24 = one an hour). */
  noticesPerDay: number;
}

export interface LoadStats {
  acked: number;
  rejected: number;
  quarantined: number;
  pending: number;
  connected: number;
  staffOps: Record<string, number>;
  staffErrors: string[];
  adminEvents: Record<string, number>;
  drops: number;
}

const HOUR = 3_600_000;
const config = JSON.parse(process.argv[2] ?? 'null') as LoadConfig;
const clock = acceleratedClock(config.time);
const kiosks: SimKiosk[] = [];
const timers: NodeJS.Timeout[] = [];
const staffOps: Record<string, number> = {};
const staffErrors: string[] = [];
const adminEvents: Record<string, number> = {};
let drops = 0;

const pickOne = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

function content(n: number, village: string, rule: NoticeContentRequest['posting'], emergency = false): NoticeContentRequest {
  const title = emergency ? `紧急通知：${n}号台风预警，请立即转移` : `第${n}号公示：村务财务公开`;
  return {
    title,
    body: `${title}。根据有关规定，现将相关事项予以公示，公示期间如有异议，请向村民委员会反映。`,
    ledText: emergency ? `台风预警${n}，请立即转移` : `村务公开第${n}号`,
    target: { scope: 'villages', villageIds: [village] },
    posting: rule,
    ...(emergency && { emergency: { level: 'red' as const, expiresAt: clock.now() + 2 * HOUR } }),
  };
}

async function staffWork(): Promise<void> {
  const staff = await soakStaff(config.url);
  // Two staff browsers with the admin open all week; when the session expires they sign in again, as a person would.
  for (let b = 0; b < 2; b++) {
    const socket = io(`${config.url}/admin`, { extraHeaders: { cookie: staff.editorCookie() }, transports: ['websocket'], forceNew: true });
    socket.onAny((event: string) => (adminEvents[event] = (adminEvents[event] ?? 0) + 1));
    socket.on('connect_error', () => {
      adminEvents['connect_error'] = (adminEvents['connect_error'] ?? 0) + 1;
      setTimeout(() => {
        void staff.refresh().then(() => {
          socket.io.opts.extraHeaders = { cookie: staff.editorCookie() };
          socket.connect();
        });
      }, 1_000).unref();
    });
  }
  const live: { id: string; n: number; village: string; rule: NoticeContentRequest['posting'] }[] = [];
  let n = 0;
  const act = async (op: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
      staffOps[op] = (staffOps[op] ?? 0) + 1;
    } catch (error) {
      if (staffErrors.length < 20) staffErrors.push(`${op}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // One round of staff work (every simulated hour by default): a new notice, and now and then a correction, a withdrawal or an emergency.
  const hour = async (): Promise<void> => {
    const village = villageId(Math.floor(Math.random() * config.villages));
    const rule: NoticeContentRequest['posting'] =
      Math.random() < 0.5 ? { rule: { kind: 'calendar_days', days: 1 + Math.floor(Math.random() * 3) } } : { rule: { kind: 'long_term' } };
    const k = ++n;
    await act('published', async () => {
      live.push({ id: await staff.publish(content(k, village, rule)), n: k, village, rule });
    });
    const target = pickOne(live);
    if (target && Math.random() < 0.2)
      await act('corrected', () => staff.correct(target.id, content(target.n, target.village, target.rule)));
    if (live.length > 12 && Math.random() < 0.4) {
      const gone = live.splice(Math.floor(Math.random() * live.length), 1)[0];
      if (gone) await act('withdrawn', () => staff.withdraw(gone.id));
    }
    if (Math.random() < 1 / 12) {
      const e = ++n;
      await act('emergency', async () => {
        await staff.publish(content(e, village, { rule: { kind: 'calendar_days', days: 1 } }, true));
      });
    }
  };
  // Each village starts with a standing notice, so the kiosks are busy from the first hour.
  for (let v = 0; v < config.villages; v++) {
    const k = ++n;
    const rule: NoticeContentRequest['posting'] = { rule: { kind: 'long_term' } };
    await act('published', async () => {
      live.push({ id: await staff.publish(content(k, villageId(v), rule)), n: k, village: villageId(v), rule });
    });
  }
  let busy = false;
  // Rounds owed so far: `noticesPerDay` ÷ 24 accrue every simulated hour, so 3 a day is a round every 8 hours.
  let owed = 0;
  timers.push(
    setInterval(
      () => {
        owed += config.noticesPerDay / 24;
        if (busy || owed < 1) return;
        owed -= 1;
        busy = true;
        void hour().finally(() => (busy = false));
      },
      realMs(config.time, HOUR),
    ),
  );
}

async function startKiosks(): Promise<void> {
  for (let i = 0; i < config.kiosks; i++) {
    kiosks.push(
      new SimKiosk({
        url: config.url,
        deviceId: kioskId(i),
        token: `${SOAK_TOKEN_PREFIX}${i}`,
        cardMs: realMs(config.time, config.cardSimMs),
        heartbeatMs: realMs(config.time, config.heartbeatSimMs),
        answerTimeoutMs: 15_000,
        now: clock.now,
      }),
    );
    // A connect storm of 200 handshakes on a shared machine: a few at a time.
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 200));
  }
  // Faults: every 20 simulated minutes one kiosk drops off the network for up to half an hour.
  timers.push(
    setInterval(
      () => {
        const k = pickOne(kiosks);
        if (!k) return;
        drops++;
        k.dropFor(realMs(config.time, Math.random() * 30 * 60_000));
      },
      realMs(config.time, 20 * 60_000),
    ),
  );
}

function stats(): LoadStats {
  const snapshots = kiosks.map((k) => k.snapshot());
  const sum = (f: (s: (typeof snapshots)[number]) => number) => snapshots.reduce((a, s) => a + f(s), 0);
  return {
    acked: sum((s) => s.acked.length),
    rejected: sum((s) => s.rejected.length),
    quarantined: sum((s) => s.quarantined),
    pending: sum((s) => s.pending),
    connected: sum((s) => (s.connected ? 1 : 0)),
    staffOps,
    staffErrors,
    adminEvents,
    drops,
  };
}

process.on('message', (raw: unknown) => {
  const message = raw as { type: 'stats' | 'stop' };
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: stats() });
  if (message.type === 'stop') {
    for (const t of timers) clearInterval(t);
    for (const k of kiosks) k.close();
    process.send?.({ type: 'stopped', stats: stats() }, undefined, {}, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

Promise.all([startKiosks(), staffWork()]).then(
  () => process.send?.({ type: 'ready' }),
  (error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
