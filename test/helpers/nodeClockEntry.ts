/**
 * The village node program with an injected clock, for tests that run it
 * days ahead or with a wrong clock: the same program (`runNodeProgram`) with
 * `Date.now() + shift`, the shift starting at GONGSHI_TEST_CLOCK_SHIFT_MS and
 * moved by IPC messages `{ shiftMs }` from the test (answered `{ shifted }`).
 */
import { runNodeProgram } from '../../controller/node/main.js';

let shift = Number(process.env.GONGSHI_TEST_CLOCK_SHIFT_MS ?? '0');
process.on('message', (message: unknown) => {
  if (typeof message === 'object' && message !== null && 'shiftMs' in message && typeof message.shiftMs === 'number') {
    shift = message.shiftMs;
    process.send?.({ shifted: shift });
  }
});

await runNodeProgram(process.argv.slice(2), { clock: { now: () => Date.now() + shift } });
