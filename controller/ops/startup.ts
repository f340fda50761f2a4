/**
 * What the controller does with its data directory before anything else
 * reads it: take the lock, back the directory up if state.json is about to be
 * migrated to a newer schema, and load (or make) the checkpoint signing key.
 * With the lock held, the temporary files an interrupted write left behind go first.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { pendingMigration } from '../store/migrations.js';
import { BACKUPS_DIR, createBackup } from './backup.js';
import { type SigningKey, ensureSigningKey } from './keys.js';
import { acquireLock } from './lock.js';
import { removeStrayTempFiles } from './strayTemp.js';

export interface OpenDataDir {
  signingKey: SigningKey;
  /** The backup written before a migration at this start, if any. */
  preMigrationBackup: string | null;
  /** Removes the lock; the last thing a stopping controller does. */
  release(): Promise<void>;
}

export async function openDataDir(deps: {
  dataDir: string;
  logger: Logger;
  now: () => number;
  gongshiVersion: string;
}): Promise<OpenDataDir> {
  // A fresh clone has no ./data yet: the lock file is the first thing written into it.
  await mkdir(deps.dataDir, { recursive: true });
  const lock = await acquireLock(deps.dataDir, deps);
  try {
    // Holding the lock, no other controller writes here: temporary files now are a crash's leftovers.
    await removeStrayTempFiles(deps);
    let preMigrationBackup: string | null = null;
    const pending = await pendingMigration(path.join(deps.dataDir, 'state.json'));
    if (pending) {
      const { file, manifest } = await createBackup({
        dataDir: deps.dataDir,
        out: path.join(deps.dataDir, BACKUPS_DIR),
        gongshiVersion: deps.gongshiVersion,
        now: deps.now,
        label: `before-schema-${pending.from}-to-${pending.to}`,
        ledgerStopped: true, // this controller holds the lock and its ledger has not started
      }).catch((cause: unknown) => {
        throw new Error(
          `state.json needs migrating from schema ${pending.from} to ${pending.to}, but the backup before it failed, so nothing was migrated ` +
            `(升级前备份失败，未进行数据迁移): ${(cause as Error).message}`,
          { cause },
        );
      });
      preMigrationBackup = file;
      deps.logger.warn(`state.json is schema ${pending.from}, this Gongshi is ${pending.to}: backed up to ${file} before migrating`, {
        ledgerSeq: manifest.ledger.seq,
      });
    }
    const signingKey = await ensureSigningKey(deps.dataDir, deps.logger);
    return { signingKey, preMigrationBackup, release: () => lock.release() };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
