/** The data directory a command-line tool works on, from the controller's own options (`--data`, GONGSHI_DATA_DIR …). */
import { ConfigError, loadProcessConfig } from '../config.js';

/**
 * Reads the controller's options from `rest` (the tool's own already taken
 * out). On bad options prints the reason, sets exit code 2 and returns null.
 */
export function toolDataDir(rest: readonly string[]): string | null {
  try {
    process.argv.splice(2, Infinity, ...rest);
    return loadProcessConfig({ defaultWebDir: '.' }).dataDir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return null;
  }
}
