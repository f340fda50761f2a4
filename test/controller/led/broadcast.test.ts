/**
 * Broadcasts on a shared line and the one-packet limit: a BX frame to screen
 * 0xFFFE with reply flag 02 reaches every card on the bus and none answers;
 * an EQ frame to 999 reaches every EQ card; the signs service sends the daily
 * clock sync of a shared BX line once, as a broadcast. Text longer than a BX
 * card's 1 KB packet is found by the notice-time check, not at send time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bxBroadcastFrame, broadcastBx, broadcastEqClear } from '../../../controller/led/broadcast.js';
import { decodeBxRequest } from '../../../controller/led/bx/commands.js';
import { BxFramer } from '../../../controller/led/bx/framer.js';
import { createEmulatorBinding, emulatedBus } from '../../../controller/led/emulator/memoryBinding.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { packetFit } from '../../../controller/led/fit.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { FAST, capturingLogger, eventually, profile } from './fixtures.js';
import { createBxAnswerReader } from '../../../controller/led/bx/answers.js';

let link: SerialLink | null = null;
const emus: SignEmulator[] = [];

afterEach(async () => {
  await link?.stop();
  link = null;
  for (const e of emus.splice(0)) e.dispose();
});

async function busOf(protocol: 'bx' | 'eq', addresses: number[]): Promise<SignEmulator[]> {
  const signs = addresses.map((address) => new SignEmulator({ protocol, address, width: 192, height: 32 }));
  emus.push(...signs);
  const lines = new Map([['/dev/ttyBUS', emulatedBus(signs)]]);
  link = createSerialLink({
    answers: createBxAnswerReader,
    broadcastAddress: 0xfffe,
    settings: { path: '/dev/ttyBUS', baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1, hupcl: true, dtr: null },
    binding: createEmulatorBinding(lines),
    logger: capturingLogger().logger,
    tuning: FAST,
    pathExists: (p) => lines.has(p),
  });
  await link.start();
  return signs;
}

describe('broadcasts', () => {
  it('encodes a BX broadcast to 0xFFFE with reply flag 02', () => {
    const [event] = new BxFramer().push(bxBroadcastFrame({ kind: 'clear' }));
    expect(event?.kind).toBe('frame');
    if (event?.kind !== 'frame') return;
    expect(event.frame.header.dst).toBe(0xfffe);
    expect(event.frame.data.subarray(0, 3)).toEqual(Buffer.from([0xa3, 0x10, 0x02]));
    expect(decodeBxRequest(event.frame.data)).toMatchObject({ command: { kind: 'clear' }, replyWanted: false });
  });

  it('sets the clock of every BX card on the bus with one frame, and no card answers', async () => {
    const signs = await busOf('bx', [1, 2, 7]);
    const at = Date.UTC(2026, 10, 26, 1, 2, 3);
    const result = await broadcastBx(link!, { kind: 'clock', at });
    expect(result).toMatchObject({ answered: false, attempts: 1 });
    await eventually(() => {
      for (const s of signs) expect(s.clockNow()).not.toBeNull();
    });
    for (const s of signs) {
      expect(s.stats()).toMatchObject({ acks: 0, nacks: 0, commands: { clock: 1 } });
      expect(Math.abs(s.clockNow()! - (at + 8 * 3_600_000))).toBeLessThan(5000);
    }
    expect(link!.stats()).toMatchObject({ framesSent: 1, acks: 0, timeouts: 0 });
  });

  it('clears every EQ card on the bus at address 999', async () => {
    const signs = await busOf('eq', [3, 4]);
    for (const s of signs) s.input(Buffer.from(`!#00${s.options.address}%ZD00%ZI01%C1TEST$$`, 'latin1'));
    for (const s of signs) expect(s.texts()).toEqual(['TEST']);
    await broadcastEqClear(link!);
    await eventually(() => {
      for (const s of signs) expect(s.texts()).toEqual([]);
    });
  });

  it('refuses a broadcast that asks for an answer', async () => {
    await busOf('bx', [1]);
    await expect(link!.request({ frame: bxBroadcastFrame({ kind: 'clear' }), describe: 'x', replyFrom: 0xfffe })).rejects.toThrow(
      /must not ask for an answer/,
    );
  });
});

describe('one BX packet (1 KB)', () => {
  it('measures the A3 06 bytes of a text as laid out for the sign, and finds text that cannot fit', () => {
    const sign = profile();
    const fits = packetFit('公'.repeat(200), sign);
    expect(fits).toMatchObject({ max: 1024 });
    expect(fits!.bytes).toBeGreaterThan(400);
    expect(fits!.bytes).toBeLessThanOrEqual(1024);
    const long = packetFit('公'.repeat(500), sign);
    expect(long!.bytes).toBeGreaterThan(1024);
    expect(packetFit('公示', profile({ protocol: 'eq2013', address: 5 }))).toBeNull();
  });
});
