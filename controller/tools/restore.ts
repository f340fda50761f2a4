/**
 * `npm run restore -- <archive.tar.gz> [--data <dir>] [--force]` (in
 * production: `node dist/controller/tools/restore.js …`): checks the backup
 * (every file's SHA-256, the ledger's hash chain and head) and only then puts
 * it in place as the data directory; see controller/ops/restore.ts.
 * Exit 0 = restored, 1 = refused or failed (nothing changed), 2 = bad options.
 */
import { RestoreError, restoreBackup } from '../ops/restore.js';
import { toolDataDir } from './toolConfig.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const force = argv.includes('--force');
  const rest = argv.filter((a) => a !== '--force');
  const archive = rest[0];
  if (!archive || archive.startsWith('--')) {
    process.stderr.write('usage: npm run restore -- <backup.tar.gz> [--data <dir>] [--force]\n');
    process.exitCode = 2;
    return;
  }
  const dataDir = toolDataDir(rest.slice(1));
  if (dataDir === null) return;
  try {
    const { manifest, movedAside } = await restoreBackup({ archive, dataDir, force });
    process.stdout.write(
      `restored ${archive} into ${dataDir} (已恢复)\n` +
        `  backup of ${manifest.createdAt}, Gongshi ${manifest.gongshiVersion}, schema version ${manifest.schemaVersion}\n` +
        `  ${manifest.files.length} files match the manifest; the ledger verifies: ${manifest.ledger.seq} records, head ${manifest.ledger.headHash}\n` +
        (movedAside ? `  the previous data directory is kept at ${movedAside}\n` : '') +
        `  next: start the controller on it; the report aggregates are rebuilt from the ledger at start\n`,
    );
  } catch (error) {
    process.stderr.write(`restore refused (恢复未执行): ${error instanceof RestoreError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main();
