/**
 * The fault run's LED signs: each an emulator on the far end of its own
 * socat pty pair (test/helpers/pty.ts), opened with serialport as a real sign
 * is. The pair lives on stable link paths, so unplugging (kill socat: both
 * paths vanish, the controller's next write fails) and plugging back in
 * (socat again on the same paths) is what a USB adapter pulled and pushed does.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type PtyPair, openPtyPair } from '../../helpers/pty.js';
import { FAULT_SIGNS, type FaultSign, SIGN_BAUD } from './town.js';

export interface SignLine {
  sign: FaultSign;
  emulator: SignEmulator;
  /** The controller's end. */
  hostPath: string;
  plugged(): boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

async function openSignEnd(at: string): Promise<SerialPortStream> {
  const port = new SerialPortStream({ binding: SerialPort.binding, path: at, baudRate: SIGN_BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('error', () => undefined); // the far end vanishing is the point of some scenarios
  return port;
}

async function closePort(port: SerialPortStream | null): Promise<void> {
  if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
}

async function openLine(sign: FaultSign, root: string): Promise<SignLine> {
  const dir = path.join(root, sign.id);
  const emulator = new SignEmulator({
    protocol: sign.emulated,
    address: sign.address,
    width: sign.width,
    height: sign.height,
    processingMs: 2,
  });
  let pair: PtyPair | null = null;
  let port: SerialPortStream | null = null;
  const plug = async (): Promise<void> => {
    pair = await openPtyPair({ linkDir: dir });
    port = await openSignEnd(pair.sign);
    emulator.attach(port);
  };
  await mkdir(dir);
  await plug();
  return {
    sign,
    emulator,
    hostPath: path.join(dir, 'ttyHOST'),
    plugged: () => pair !== null,
    async unplug() {
      emulator.detach();
      await pair?.close();
      await closePort(port);
      pair = null;
      port = null;
    },
    replug: plug,
  };
}

export interface SignLines {
  root: string;
  lines: SignLine[];
  get(id: string): SignLine;
  close(): Promise<void>;
}

export async function openSignLines(): Promise<SignLines> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gongshi-fault-signs-'));
  const lines: SignLine[] = [];
  for (const sign of FAULT_SIGNS) lines.push(await openLine(sign, root));
  return {
    root,
    lines,
    get(id) {
      const line = lines.find((l) => l.sign.id === id);
      if (!line) throw new Error(`no sign line ${id}`);
      return line;
    },
    async close() {
      for (const line of lines) {
        await line.unplug();
        line.emulator.dispose();
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
