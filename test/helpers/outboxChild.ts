/**
 * A node outbox driven hard in a child process, to be killed with SIGKILL at
 * any moment (test/controller/node/outbox.test.ts): it appends batches of
 * display intervals and, like the uplink, takes the oldest records several
 * batches at a time and acknowledges most of each (releasing the rest).
 * It prints `appended <seq…>` once an append is durable and `acked <seq…>`
 * once an acknowledgement is, so the test knows what the outbox promised.
 */
import { createLogger } from '../../controller/logger.js';
import { createNodeOutbox } from '../../controller/node/outbox.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: outboxChild.ts <dir>');
const outbox = createNodeOutbox({ dataDir: dir, clockTrusted: () => true, logger: createLogger({ level: 'error' }) });
await outbox.start();
process.stdout.write(`started ${outbox.size()}\n`);
const hash = 'ab'.repeat(32);
let t = 1_765_000_000_000;

const appender = async (): Promise<void> => {
  for (;;) {
    const entries = Array.from({ length: 1 + Math.floor(Math.random() * 300) }, () => {
      t += 10_000;
      return {
        type: 'sign.display' as const,
        signId: 'sign-1',
        contentHash: hash,
        start: t,
        end: t + 10_000,
        proof: 'acknowledged' as const,
        endReason: 'replaced' as const,
      };
    });
    const records = await outbox.append(entries);
    process.stdout.write(`appended ${records.map((r) => r.seq).join(' ')}\n`);
  }
};
const lane = async (): Promise<void> => {
  for (;;) {
    const records = await outbox.take(1 + Math.floor(Math.random() * 500), 200 * 1024);
    if (records.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    // Most are answered; a few are not (and go out again).
    const answered = records.filter(() => Math.random() < 0.9);
    const kept = new Set(answered.map((r) => r.seq));
    outbox.release(records.filter((r) => !kept.has(r.seq)));
    await outbox.acknowledge(answered.map((r) => r.seq));
    if (answered.length > 0) process.stdout.write(`acked ${answered.map((r) => r.seq).join(' ')}\n`);
  }
};
await Promise.all([appender(), lane(), lane(), lane(), lane()]);
