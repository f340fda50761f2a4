/**
 * Child process: the controller of a fault run, as `npm start` runs it but
 * with the timings shortened (controller/main.ts `ControllerTuning`) so that a
 * stalled kiosk is dropped in seconds, a rebooted BX sign is pinged within a
 * second, a BX sign's content is re-asserted every 1.5 s (a reboot too short for a ping to miss)
 * and an EQ sign gets its content re-sent every two. Prints
 * `controller-url <url>` once listening; kill -9 is the point.
 *
 * Usage: node --import tsx controller-child.ts --port 0 --data <dir> …
 */
import path from 'node:path';
import { loadConfig } from '../../../controller/config.js';
import { createLogger } from '../../../controller/logger.js';
import { createController, packageRoot } from '../../../controller/main.js';

/** Shared with the test: how long the controller takes to notice a silent kiosk (interval + timeout). */
export const FAULT_TUNING = {
  pingIntervalMs: 1_500,
  pingTimeoutMs: 1_500,
  signs: {
    tickMs: 250,
    healthIntervalMs: 700,
    eqRefreshMs: 2_000,
    contentCheckMs: 1_500,
    tuning: { processingBudgetMs: 150, retries: 1, reconnectInitialMs: 100, reconnectMaxMs: 500 },
  },
} as const;

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), {}, { cwd: process.cwd(), defaultWebDir: path.join(packageRoot(), 'dist/web') });
  const logger = createLogger({ level: config.logLevel });
  const controller = await createController(config, { logger, tuning: FAULT_TUNING });
  process.stdout.write(`controller-url ${controller.url}\n`);
  process.on('SIGTERM', () => {
    controller.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`controller child could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
