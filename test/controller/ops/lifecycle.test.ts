/**
 * The one start/stop shape of the controller's parts (controller/ops/lifecycle.ts): started in order,
 * stopped in reverse, a part that fails to stop does not keep the others running, a part whose start
 * failed is not stopped, and stopping twice stops once.
 */
import { expect, it } from 'vitest';
import { type LogEntry, createLogger } from '../../../controller/logger.js';
import { type Part, createParts, step } from '../../../controller/ops/lifecycle.js';

function recorder() {
  const events: string[] = [];
  const logs: LogEntry[] = [];
  const part = (name: string, fail?: 'start' | 'stop'): Part => ({
    async start() {
      await Promise.resolve();
      events.push(`start ${name}`);
      if (fail === 'start') throw new Error(`${name} cannot start`);
    },
    stop() {
      events.push(`stop ${name}`);
      if (fail === 'stop') throw new Error(`${name} cannot stop`);
    },
  });
  return { events, logs, part, logger: createLogger({ level: 'debug', sink: (e) => logs.push(e) }) };
}

it('stops the started parts in reverse order, each once, even when one of them fails to stop', async () => {
  const { events, logs, part, logger } = recorder();
  const parts = createParts(logger);
  const a = part('a');
  expect(await parts.start('a', a)).toBe(a);
  await parts.start('b', part('b', 'stop'));
  await parts.start(
    'c',
    step(() => void events.push('start c')),
  );
  await parts.start('d', part('d'));
  await Promise.all([parts.stop(), parts.stop()]);
  await parts.stop();
  expect(events).toEqual(['start a', 'start b', 'start c', 'start d', 'stop d', 'stop b', 'stop a']);
  expect(logs.filter((l) => l.level === 'error').map((l) => l.fields?.part)).toEqual(['b']);
  await expect(parts.start('e', part('e'))).rejects.toThrow(/stopping/);
});

it('does not stop a part whose start failed, and stops those before it', async () => {
  const { events, part, logger } = recorder();
  const parts = createParts(logger);
  await parts.start('a', part('a'));
  await expect(parts.start('b', part('b', 'start'))).rejects.toThrow('b cannot start');
  await parts.stop();
  expect(events).toEqual(['start a', 'start b', 'stop a']);
});
