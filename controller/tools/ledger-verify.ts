/**
 * `npm run ledger:verify [-- --data <dir>] [--seq N --hash H]` (in production:
 * `node dist/controller/tools/ledger-verify.js --data <dir>`): recomputes the
 * disclosure ledger's hash chain and prints the checkpoint (seq + head hash)
 * an auditor can keep, or the first broken record. With `--seq` and `--hash`
 * (an exported checkpoint) it also proves the chain still passes through that
 * record unchanged. With `--checkpoint <file> [--public-key <pem>]` (a signed
 * checkpoint exported from the admin) it first checks the signature, with the
 * given public key or else the data directory's. Exit 0 = intact, 1 = broken,
 * 2 = bad options.
 */
import { checkSavedCheckpoint } from '../ops/checkpoint.js';
import { verifyLedger } from '../store/verify.js';
import { toolDataDir } from './toolConfig.js';

/** Takes `--seq N` and `--hash H` out of argv; the rest are the controller's own options. */
function checkpointArgs(argv: readonly string[]): {
  rest: string[];
  against?: { seq: number; headHash: string };
  problem?: string;
  signed?: { file: string; publicKey: string | undefined };
} {
  const rest: string[] = [];
  let seq: string | undefined;
  let hash: string | undefined;
  let file: string | undefined;
  let publicKey: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--seq') seq = argv[++i];
    else if (arg === '--hash') hash = argv[++i];
    else if (arg === '--checkpoint') file = argv[++i] ?? '';
    else if (arg === '--public-key') publicKey = argv[++i] ?? '';
    else rest.push(arg);
  }
  if (file !== undefined || publicKey !== undefined) {
    if (!file || publicKey === '' || seq !== undefined || hash !== undefined) {
      return {
        rest,
        problem: '--checkpoint needs the exported checkpoint file (and --public-key, if given, a PEM file); not with --seq/--hash',
      };
    }
    return { rest, signed: { file, publicKey } };
  }
  if (seq === undefined && hash === undefined) return { rest };
  if (!seq || !/^[1-9]\d*$/.test(seq) || !hash || !/^[0-9a-f]{64}$/.test(hash)) {
    return { rest, problem: '--seq needs a record number and --hash its 64-character SHA-256 hex, both from an exported checkpoint' };
  }
  return { rest, against: { seq: Number(seq), headHash: hash } };
}

async function main(): Promise<void> {
  const args = checkpointArgs(process.argv.slice(2));
  if (args.problem) {
    process.stderr.write(`${args.problem}\n`);
    process.exitCode = 2;
    return;
  }
  // The remaining options are the controller's own, read where configuration is read.
  const dataDir = toolDataDir(args.rest);
  if (dataDir === null) return;
  if (args.signed) {
    // A signed checkpoint file: its signature first, then the chain must pass through its seq and hash.
    const signed = await checkSavedCheckpoint(args.signed.file, dataDir, args.signed.publicKey);
    if (!signed.ok) {
      process.stderr.write(`${signed.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`checkpoint signature valid: key ${signed.fingerprint} (${signed.keyFile})\n`);
    args.against = signed.against;
  }
  const started = performance.now();
  const result = await verifyLedger(dataDir, Date.now, args.against);
  const seconds = (performance.now() - started) / 1000;
  const rate = `verified ${result.records} records in ${seconds.toFixed(2)} s (${Math.round(result.records / Math.max(seconds, 1e-6)).toLocaleString('en-US')} records/s)\n`;
  if (result.ok) {
    const { seq, headHash, at } = result.checkpoint;
    process.stdout.write(
      `ledger intact: ${result.records} records in ${dataDir}\n${
        args.against ? `passes through checkpoint seq ${args.against.seq} unchanged\n` : ''
      }checkpoint: seq ${seq} head ${headHash} at ${new Date(at).toISOString()}\n${rate}`,
    );
    if (result.tornTailBytes) {
      process.stdout.write(
        `after it: ${result.tornTailBytes} bytes of an unfinished last line (a write in progress, or a crash mid-write that the controller cuts and records at its next start)\n`,
      );
    }
    return;
  }
  const b = result.firstBroken;
  process.stderr.write(
    `ledger BROKEN at ${b.file} line ${b.line} (seq ${b.seq ?? '?'}): ${b.reason}\n${result.records} records before it verify.\n${rate}`,
  );
  process.exitCode = 1;
}

await main();
