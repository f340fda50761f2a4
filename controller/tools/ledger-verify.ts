/**
 * `npm run ledger:verify [-- --data <dir>]` (in production:
 * `node dist/controller/tools/ledger-verify.js --data <dir>`): recomputes the
 * disclosure ledger's hash chain and prints the checkpoint (seq + head hash)
 * an auditor can keep, or the first broken record. Exit 0 = intact, 1 = broken,
 * 2 = bad options.
 */
import { ConfigError, loadProcessConfig } from '../config.js';
import { verifyLedger } from '../store/verify.js';

async function main(): Promise<void> {
  let dataDir: string;
  try {
    dataDir = loadProcessConfig({ defaultWebDir: '.' }).dataDir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const result = await verifyLedger(dataDir);
  if (result.ok) {
    const { seq, headHash, at } = result.checkpoint;
    process.stdout.write(
      `ledger intact: ${result.records} records in ${dataDir}\ncheckpoint: seq ${seq} head ${headHash} at ${new Date(at).toISOString()}\n`,
    );
    return;
  }
  const b = result.firstBroken;
  process.stderr.write(
    `ledger BROKEN at ${b.file} line ${b.line} (seq ${b.seq ?? '?'}): ${b.reason}\n${result.records} records before it verify.\n`,
  );
  process.exitCode = 1;
}

await main();
