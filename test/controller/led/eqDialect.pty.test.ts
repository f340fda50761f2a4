/**
 * Each EQ generation in its own documented dialect (led-protocols.md §1.2),
 * through the protocol registry over a real socat pty pair: the driver the
 * registry makes writes to the host end, and the far end both feeds the
 * generation's emulated card and keeps every byte, which the test cuts into
 * `!#…$$` frames and reads with the code lists copied from the vendors'
 * documents (not the codec's own tables).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { type LedDriver, ledProtocol } from '../../../controller/led/protocols.js';
import { type PtyPair, hasSocat, openPtyPair } from '../../helpers/pty.js';
import { FAST, capturingLogger, content, eventually, profile } from './fixtures.js';

const BAUD = 9600;

/** EQ2013协议(完整版): colour, font, alignment and the area codes, with their digits. */
const EQ2013_CODES: [string, number][] = [
  ['ZC', 16],
  ['ZI', 2],
  ['ZA', 2],
  ['ZS', 2],
  ['ZH', 4],
  ['ZD', 2],
  ['ZF', 1],
  ['AH', 1],
  ['AV', 1],
  ['F', 2],
  ['C', 1],
];
/** EQ2023控制协议: colour as %1–%3, nothing else. */
const EQ2023_CODES: [string, number][] = [['', 1]];

interface ReadFrame {
  address: string;
  codes: string[];
  /** The bytes between codes, latin1 (GB bytes stay opaque). */
  text: string;
}

/** Cuts the captured bytes into frames and reads each with `codes`; a `%` that is none of them is an error naming it. */
function readFrames(bytes: Buffer, codes: [string, number][]): ReadFrame[] {
  const wire = bytes.toString('latin1');
  const frames: ReadFrame[] = [];
  for (const m of wire.matchAll(/!#(\d{3})([\s\S]*?)\$\$/g)) {
    const body = m[2] ?? '';
    const found: string[] = [];
    let text = '';
    for (let i = 0; i < body.length;) {
      if (body[i] !== '%') {
        text += body[i];
        i += body.charCodeAt(i) >= 0x81 ? 2 : 1;
        continue;
      }
      const rest = body.slice(i + 1);
      const code = codes.find(([name, digits]) => new RegExp(`^${name}\\d{${digits}}`).test(rest));
      if (!code) throw new Error(`undocumented code %${rest.slice(0, 4)} in frame ${JSON.stringify(m[0])}`);
      found.push(`%${rest.slice(0, code[0].length + code[1])}`);
      i += 1 + code[0].length + code[1];
    }
    frames.push({ address: m[1] ?? '', codes: found, text });
  }
  return frames;
}

let dir: string;
let pair: PtyPair;
let signPort: SerialPortStream | null;
let link: SerialLink | null;
let driver: LedDriver | null;
let emu: SignEmulator | null;
let captured: Buffer[];

async function openSignEnd(at: string): Promise<SerialPortStream> {
  const port = new SerialPortStream({ binding: SerialPort.binding, path: at, baudRate: BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('error', () => undefined);
  return port;
}

async function start(protocol: 'eq2013' | 'eq2023'): Promise<{ driver: LedDriver; emu: SignEmulator }> {
  const p = profile({ protocol, address: 7, widthPx: 128, heightPx: 32, port: { path: pair.host, baudRate: BAUD } });
  emu = new SignEmulator({ protocol, address: 7, width: 128, height: 32, baudRate: BAUD });
  signPort = await openSignEnd(pair.sign);
  signPort.on('data', (chunk: Buffer) => captured.push(chunk));
  emu.attach(signPort);
  const { logger } = capturingLogger();
  const entry = ledProtocol(protocol);
  link = createSerialLink({
    settings: { ...p.port, hupcl: true, dtr: null },
    binding: SerialPort.binding,
    logger,
    tuning: FAST,
    answers: entry.answers,
  });
  driver = entry.createDriver({
    profile: p,
    link,
    logger,
    now: Date.now,
    timings: { healthIntervalMs: 0, contentCheckMs: 0, refreshMs: 0 },
  });
  await link.start();
  return { driver, emu };
}

/**
 * Shows a notice in pages, one that scrolls, then clears; returns the frames
 * as read off the wire, the first being the blank screen the driver restores
 * when the link comes up.
 */
async function showScrollClear(d: LedDriver, e: SignEmulator, codes: [string, number][]): Promise<ReadFrame[]> {
  await d.show(content('停水通知：明天上午八点到十二点停水'));
  await eventually(() => expect(e.texts().join('').replace(/\r?\n/g, '')).toBe('停水通知：明天上午八点到十二点停水'));
  await d.show(content('防汛通知', 'scroll-key', 'scroll'));
  await eventually(() => expect(e.texts().join('')).toBe('防汛通知'));
  await d.clear();
  await eventually(() => expect(e.texts()).toEqual([]));
  await eventually(() => expect(readFrames(Buffer.concat(captured), codes)).toHaveLength(4));
  return readFrames(Buffer.concat(captured), codes);
}

describe.skipIf(!hasSocat())('EQ dialects over a socat pty pair', () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-eq-'));
    pair = await openPtyPair({ linkDir: dir });
    signPort = null;
    link = null;
    driver = null;
    emu = null;
    captured = [];
  });

  afterEach(async () => {
    driver?.stop();
    await link?.stop();
    emu?.dispose();
    if (signPort?.isOpen) await new Promise<void>((resolve) => signPort!.close(() => resolve()));
    await pair.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('EQ2023 is sent only what its documentation lists: %1–%3 and text in CR LF lines, a frame with no text to clear', async () => {
    const { driver: d, emu: e } = await start('eq2023');
    const [restored, pages, scroll, clear] = await showScrollClear(d, e, EQ2023_CODES);
    expect(restored).toEqual(clear);
    expect(pages).toMatchObject({ address: '007', codes: ['%1'] });
    expect(pages!.text).toContain('\r\n');
    expect(pages!.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(scroll).toMatchObject({ address: '007', codes: ['%1'] });
    expect(clear).toEqual({ address: '007', codes: [], text: '' });
    expect(e.stats()).toMatchObject({ badFrames: 0, framesForMe: 4 });
  });

  it('EQ2013-F keeps its areas, effects and %C colours, with LF line breaks', async () => {
    const { driver: d, emu: e } = await start('eq2013');
    const [restored, pages, scroll, clear] = await showScrollClear(d, e, EQ2013_CODES);
    expect(restored).toEqual(clear);
    expect(pages!.codes).toEqual(['%ZD00', '%ZI01', '%ZC0000000001280032', '%ZA01', '%ZS17', '%ZH0030', '%C1']);
    expect(pages!.text).toContain('\n');
    expect(pages!.text).not.toContain('\r');
    expect(scroll!.codes).toContain('%ZA49');
    expect(clear).toEqual({ address: '007', codes: ['%ZD00'], text: '' });
    expect(e.stats()).toMatchObject({ badFrames: 0, framesForMe: 4 });
  });

  it('an emulated EQ2023 card does not show a frame in the EQ2013 dialect: it counts it as a bad frame', async () => {
    const e = (emu = new SignEmulator({ protocol: 'eq2023', address: 7, width: 128, height: 32, baudRate: BAUD }));
    signPort = await openSignEnd(pair.sign);
    e.attach(signPort);
    const host = await openSignEnd(pair.host);
    try {
      await new Promise<void>((resolve, reject) =>
        host.write(Buffer.from('!#007%ZD00%ZI01%C1OK$$', 'latin1'), (err) => (err ? reject(err) : resolve())),
      );
      await eventually(() => expect(e.stats().badFrames).toBe(1));
      expect(e.texts()).toEqual([]);
      expect(e.frameLog().at(-1)?.decoded).toMatch(/not in the EQ2023 dialect/);
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });
});
