/**
 * The daily clock sync of a shared BX line goes out as one broadcast; the
 * signs on the line count as synced only once it left the port. A broadcast
 * that failed is sent again on the next tick (it used to be marked done before
 * it was sent, so a failure meant no sync for a day), and while one is on its
 * way no second one is queued. Real link and emulated cards on one bus; only
 * the first broadcast is failed, as a port closing under it would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulatorBinding, emulatedBus } from '../../../controller/led/emulator/memoryBinding.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { LinkDownError } from '../../../controller/led/errors.js';
import type { PortEntry } from '../../../controller/led/fleet.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { broadcastClockSync } from '../../../controller/services/signClock.js';
import { CLOCK_SYNC_INTERVAL_MS, type SignState } from '../../../controller/services/signSteps.js';
import { FAST, capturingLogger, eventually, profile } from './fixtures.js';
import { createBxAnswerReader } from '../../../controller/led/bx/answers.js';

const BUS = '/dev/ttyBUS';
let link: SerialLink | null = null;
const emus: SignEmulator[] = [];

afterEach(async () => {
  await link?.stop();
  link = null;
  for (const e of emus.splice(0)) e.dispose();
});

async function line(failFirst: boolean) {
  const cards = [1, 2].map((address) => new SignEmulator({ protocol: 'bx', address, width: 192, height: 32 }));
  emus.push(...cards);
  const lines = new Map([[BUS, emulatedBus(cards)]]);
  const { logger, logs } = capturingLogger();
  const real = createSerialLink({
    answers: createBxAnswerReader,
    broadcastAddress: 0xfffe,
    settings: { path: BUS, baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1, hupcl: true, dtr: null },
    binding: createEmulatorBinding(lines),
    logger,
    tuning: FAST,
    pathExists: (p) => lines.has(p),
  });
  link = real;
  await real.start();
  let requests = 0;
  const wrapped: SerialLink = {
    ...real,
    state: () => real.state(),
    request(request) {
      requests++;
      if (failFirst && requests === 1) return Promise.reject(new LinkDownError(BUS, 'closed while writing'));
      return real.request(request);
    },
  };
  const port: PortEntry = { path: BUS, key: BUS, link: wrapped, emulators: new Map() };
  // Only what the broadcast reads of a running sign.
  const signs = [1, 2].map(
    (address) =>
      ({
        profile: profile({ id: `sign-${address}`, address, port: { path: BUS, baudRate: 57600 } }),
        lastClockSync: 0,
        clockBroadcastPending: false,
      }) as SignState,
  );
  return { cards, port, signs, logs, requests: () => requests };
}

const clocks = (cards: SignEmulator[]) => cards.map((c) => c.stats().commands.clock ?? 0);

describe('broadcast clock sync of a shared BX line', () => {
  it('marks the signs synced only once the broadcast left the port, and sends no second one meanwhile', async () => {
    const { cards, port, signs, logs, requests } = await line(false);
    const at = CLOCK_SYNC_INTERVAL_MS + 1000;
    broadcastClockSync([port], signs, at, capturingLogger().logger);
    expect(signs.map((s) => [s.lastClockSync, s.clockBroadcastPending])).toEqual([
      [0, true],
      [0, true],
    ]);
    broadcastClockSync([port], signs, at + 1, capturingLogger().logger);
    expect(requests()).toBe(1);
    await eventually(() => expect(signs.map((s) => s.lastClockSync)).toEqual([at, at]));
    expect(signs.every((s) => !s.clockBroadcastPending)).toBe(true);
    expect(clocks(cards)).toEqual([1, 1]);
    // Synced: nothing more today.
    broadcastClockSync([port], signs, at + 2000, capturingLogger().logger);
    expect(requests()).toBe(1);
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('sends a failed broadcast again on the next tick instead of waiting a day', async () => {
    const { cards, port, signs, logs, requests } = await line(true);
    const { logger, logs: warnings } = capturingLogger();
    const at = CLOCK_SYNC_INTERVAL_MS + 1000;
    broadcastClockSync([port], signs, at, logger);
    await eventually(() => expect(signs.every((s) => !s.clockBroadcastPending)).toBe(true));
    expect(warnings.some((l) => l.level === 'warn' && /broadcast clock sync failed/.test(l.message))).toBe(true);
    expect(signs.map((s) => s.lastClockSync)).toEqual([0, 0]);
    expect(clocks(cards)).toEqual([0, 0]);

    broadcastClockSync([port], signs, at + 1000, logger);
    expect(requests()).toBe(2);
    await eventually(() => expect(clocks(cards)).toEqual([1, 1]));
    await eventually(() => expect(signs.map((s) => s.lastClockSync)).toEqual([at + 1000, at + 1000]));
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
