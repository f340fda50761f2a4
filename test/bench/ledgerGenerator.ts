/**
 * A fast ledger generator: appends `count` kiosk records to a data directory's
 * ledger, continuing its chain (the ledger store's own encoder and group
 * commit, large batches, no API, no sockets), so that a start-up benchmark can
 * put a million records behind a real controller in seconds.
 *
 * The records are what a town's kiosks write: per kiosk, numbered display
 * receipts with UUID ids (a card shown for 10–45 s) and, one in twelve, an
 * interaction (opened, rated), spread over the days before `endAt`.
 *
 *   npx tsx test/bench/ledgerGenerator.ts <data dir> <count> [kiosks]
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../controller/logger.js';
import { type AnyEntry, createLedger } from '../../controller/store/ledger.js';

const HASH = 'c'.repeat(64);
const BATCH = 5000;

export interface GeneratedLedger {
  records: number;
  firstSeq: number;
  lastSeq: number;
}

export async function generateKioskRecords(options: {
  dataDir: string;
  count: number;
  kiosks?: number;
  villages?: number;
  /** The last record's time; earlier ones go back from it one batch interval at a time. */
  endAt?: number;
  log?: (message: string) => void;
}): Promise<GeneratedLedger> {
  const kiosks = options.kiosks ?? 100;
  const villages = options.villages ?? 20;
  const endAt = options.endAt ?? Date.now() - 60_000;
  // Spread the records so that each kiosk shows a card every ~30 s: count / kiosks cards of 30 s each.
  const span = Math.ceil(options.count / kiosks) * 30_000;
  let now = endAt - span;
  const ledger = createLedger({ dataDir: options.dataDir, logger: createLogger({ level: 'silent' }), now: () => now });
  await ledger.start();
  const firstSeq = ledger.head().seq + 1;
  const numbers = new Array<number>(kiosks).fill(0);
  let written = 0;
  let k = 0;
  while (written < options.count) {
    const entries: AnyEntry[] = [];
    const n = Math.min(BATCH, options.count - written);
    for (let i = 0; i < n; i++, k++) {
      const kiosk = k % kiosks;
      const village = kiosk % villages;
      const at = now + i * (30_000 / kiosks);
      const notice = `n${(k >> 7) % 60}`;
      const where = { deviceId: `k${kiosk}`, villageId: `v${village}`, receiptSeq: ++numbers[kiosk]!, receiptId: randomUUID() };
      entries.push(
        k % 12 === 0
          ? {
              type: k % 24 === 0 ? 'interaction.rated' : 'interaction.opened',
              noticeId: notice,
              contentHash: HASH,
              at,
              rating: (k % 5) + 1,
              clockTrusted: true,
              ...where,
            }
          : {
              type: 'display.kiosk',
              noticeId: notice,
              contentHash: HASH,
              startedAt: at,
              endedAt: at + 10_000 + (k % 36) * 1000,
              clockTrusted: true,
              ...where,
            },
      );
    }
    now += (n / kiosks) * 30_000;
    await ledger.append(entries);
    written += n;
    if (options.log && written % 200_000 === 0) options.log(`  generating: ${written.toLocaleString('en-US')} records`);
  }
  const lastSeq = ledger.head().seq;
  await ledger.stop();
  return { records: written, firstSeq, lastSeq };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dataDir, count, kiosks] = process.argv.slice(2);
  if (!dataDir || !count) {
    process.stderr.write('usage: npx tsx test/bench/ledgerGenerator.ts <data dir> <count> [kiosks]\n');
    process.exitCode = 2;
  } else {
    const t0 = performance.now();
    const result = await generateKioskRecords({
      dataDir,
      count: Number(count),
      ...(kiosks ? { kiosks: Number(kiosks) } : {}),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(`${JSON.stringify({ ...result, seconds: (performance.now() - t0) / 1000 })}\n`);
  }
}
