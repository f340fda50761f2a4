/**
 * `npm run backup [-- --data <dir>] [--out <dir | file.tar.gz>]` (in
 * production: `node dist/controller/tools/backup.js …`): writes a consistent
 * backup of the data directory while the controller keeps running; see
 * controller/ops/backup.ts. The default destination is `<data dir>/backups/`;
 * copy the file off the machine. Exit 0 = written, 1 = failed, 2 = bad options.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../main.js';
import { BACKUPS_DIR, BackupError, createBackup } from '../ops/backup.js';
import { toolDataDir } from './toolConfig.js';

function takeOption(argv: string[], name: string): string | undefined | null {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  argv.splice(at, 2);
  return value === undefined || value.startsWith('--') ? null : value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const out = takeOption(argv, '--out');
  if (out === null) {
    process.stderr.write('--out needs a directory or a file name ending in .tar.gz\n');
    process.exitCode = 2;
    return;
  }
  const dataDir = toolDataDir(argv);
  if (dataDir === null) return;
  const version = (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const started = performance.now();
  try {
    const { file, manifest, leftOut } = await createBackup({
      dataDir,
      out: out ? path.resolve(out) : path.join(dataDir, BACKUPS_DIR),
      gongshiVersion: version,
    });
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    process.stdout.write(
      `backup written: ${file}\n` +
        `  ${manifest.files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB before compression, in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
        `  ledger head: seq ${manifest.ledger.seq} ${manifest.ledger.headHash}\n` +
        (leftOut > 0
          ? `  the newest ${leftOut} record(s) were left out: no later write proved them durable yet (the ledger was idle); the next backup holds them (最新 ${leftOut} 条记录尚未确认落盘，未计入本次备份)\n`
          : '') +
        `  schema version ${manifest.schemaVersion}; skipped: ${manifest.skipped.map((s) => s.path).join(', ')}\n` +
        `  it holds the checkpoint signing key: keep it as private as the data directory (备份含签名私钥，请妥善保管)\n`,
    );
  } catch (error) {
    process.stderr.write(`backup failed (备份失败): ${error instanceof BackupError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main();
