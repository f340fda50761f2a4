/**
 * Child process for the signs benchmark: the BX sign emulator on the far end of
 * a socat pty, in its own Node process, the way a real sign is its own
 * hardware. Its wire-time waits (timers, `Atomics.wait`), decoding and garbage
 * collection then do not run on the event loop being measured.
 *
 * Run by the parent (signEmulatorChild.ts) with
 * `fork(…, [JSON config], { execArgv: ['--import', 'tsx'] })`; it opens the pty
 * with a real serialport stream, reports `ready`, answers `texts`, and exits on
 * `close` or when the parent goes away.
 */
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { SignEmulator } from '../../controller/led/emulator/signEmulator.js';
import { type EmulatorChildMessage, type Exchange, isEmulatorParentMessage, parseEmulatorConfig } from './signEmulatorIpc.js';
import { monotonicMs } from './stats.js';

const config = parseEmulatorConfig(process.argv[2]);
const emu = new SignEmulator({
  protocol: 'bx',
  address: config.address,
  width: config.width,
  height: config.height,
  baudRate: config.baudRate,
  processingMs: 0,
});
const port = new SerialPortStream({ binding: SerialPort.binding, path: config.path, baudRate: config.baudRate, autoOpen: false });
let closing = false;
const exchanges: Exchange[] = [];
let reading: { firstIn: number; lastIn: number; bytes: number } | null = null;

function send(message: EmulatorChildMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, () => then?.());
}

function shutdown(): void {
  if (closing) return;
  closing = true;
  emu.dispose();
  const done = () => {
    if (process.connected) process.disconnect();
  };
  if (port.isOpen) port.close(() => done());
  else done();
}

process.on('disconnect', shutdown);
process.on('message', (message: unknown) => {
  if (!isEmulatorParentMessage(message)) return;
  if (message.type === 'close') shutdown();
  else send({ type: 'texts', texts: emu.texts(), stats: emu.stats(), exchanges });
});

port.open((error) => {
  if (error) {
    send({ type: 'error', message: `sign emulator: cannot open ${config.path}: ${error.message}` }, shutdown);
    return;
  }
  // Time stamps first, so the emulator's own work on a chunk is not in them.
  port.on('data', (chunk: Buffer) => {
    const now = monotonicMs();
    if (reading) {
      reading.lastIn = now;
      reading.bytes += chunk.length;
    } else reading = { firstIn: now, lastIn: now, bytes: chunk.length };
  });
  // Registered before attach(), so the answer is stamped before it is written to the pty, not after.
  emu.onOutput(() => {
    const out = monotonicMs();
    if (reading) exchanges.push({ firstIn: reading.firstIn, lastIn: reading.lastIn, out });
    reading = null;
  });
  if (config.changes) {
    // The emulator acts on a frame once its last byte is due on the emulated wire (to the microsecond, wire.ts), and
    // reports the change at once: this stamp is when the last byte of the frame that changed the sign was on the wire.
    emu.onChange(() => {
      const at = monotonicMs();
      send({ type: 'changed', at, texts: emu.texts(), bytes: reading?.bytes ?? 0, firstIn: reading?.firstIn ?? at });
    });
  }
  emu.attach(port);
  send({ type: 'ready', pid: process.pid });
});
