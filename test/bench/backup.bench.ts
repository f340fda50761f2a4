/**
 * Backup and restore of a data directory holding a year of records
 * (1,000,000; `--quick`: 100,000), next to `tar -czf` of the same directory
 * (the system tar and gzip, which an operator could use with the controller
 * stopped). Restore = unpack + every file's SHA-256 + the full chain
 * verification, next to the chain verification alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBackup } from '../../controller/ops/backup.js';
import { restoreBackup } from '../../controller/ops/restore.js';
import { emptyState } from '../../controller/store/state.js';
import { verifyLedger } from '../../controller/store/verify.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { generateYear } from './ledger.bench.js';
import { monotonicMs, summarise } from './stats.js';

export const name = 'backup';

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const total = options.quick ? 100_000 : 1_000_000;
  const rounds = options.quick ? 1 : 3;
  const work = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-backup-'));
  try {
    const dataDir = path.join(work, 'data');
    await generateYear(dataDir, total, options.log);
    await writeFile(path.join(dataDir, 'state.json'), JSON.stringify(emptyState(Date.now())));
    const ledgerBytes = Number(execFileSync('du', ['-sb', path.join(dataDir, 'ledger')], { encoding: 'utf8' }).split('\t')[0]);

    const backupMs: number[] = [];
    const tarMs: number[] = [];
    const restoreMs: number[] = [];
    const verifyMs: number[] = [];
    let archiveBytes = 0;
    let tarBytes = 0;
    for (let round = 0; round < rounds; round++) {
      options.log(`  round ${round + 1}/${rounds}`);
      const file = path.join(work, `b${round}.tar.gz`);
      let t0 = monotonicMs();
      await createBackup({ dataDir, out: file, gongshiVersion: 'bench' });
      backupMs.push(monotonicMs() - t0);
      archiveBytes = (await stat(file)).size;

      const plain = path.join(work, `t${round}.tar.gz`);
      t0 = monotonicMs();
      execFileSync('tar', ['-czf', plain, '-C', dataDir, '.']);
      tarMs.push(monotonicMs() - t0);
      tarBytes = (await stat(plain)).size;

      const target = path.join(work, `restored${round}`);
      t0 = monotonicMs();
      await restoreBackup({ archive: file, dataDir: target });
      restoreMs.push(monotonicMs() - t0);
      t0 = monotonicMs();
      const check = await verifyLedger(target);
      verifyMs.push(monotonicMs() - t0);
      if (!check.ok || check.records !== total) throw new Error(`the restored ledger does not verify: ${JSON.stringify(check)}`);
      await rm(target, { recursive: true });
      await rm(file);
      await rm(plain);
    }
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    return [
      {
        benchmark: 'npm run backup (whole data dir, controller running)',
        n: total,
        rounds,
        payloadBytes: archiveBytes,
        measured: summarise(backupMs),
        baseline: { name: 'tar -czf of the same directory', ...summarise(tarMs) },
        notes: [
          `backup: ${total.toLocaleString('en-US')} records, ${mb(ledgerBytes)} MB of ledger → ${mb(archiveBytes)} MB archive (tar -czf: ${mb(tarBytes)} MB), p50 ${(summarise(backupMs).p50 / 1000).toFixed(1)} s`,
        ],
      },
      {
        benchmark: 'npm run restore (unpack, SHA-256 every file, verify chain)',
        n: total,
        rounds,
        payloadBytes: archiveBytes,
        measured: summarise(restoreMs),
        baseline: { name: 'ledger:verify alone on the restored directory', ...summarise(verifyMs) },
        notes: [`restore: p50 ${(summarise(restoreMs).p50 / 1000).toFixed(1)} s for ${total.toLocaleString('en-US')} records`],
      },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
