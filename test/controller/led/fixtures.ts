/** Profiles, content and a capturing logger shared by the LED tests. */
import type { SignContent } from '../../../controller/domain/signs.js';
import { type LogEntry, type Logger, createLogger } from '../../../controller/logger.js';
import type { LinkTuning } from '../../../controller/led/link.js';
import { type SignProfile, type SignProfileInput, parseSignProfile } from '../../../controller/protocol/signProfile.js';

export function profile(overrides: Partial<SignProfileInput> = {}): SignProfile {
  return parseSignProfile({
    id: 'sign-1',
    name: '村口',
    villageId: 'v1',
    protocol: 'bx5k',
    port: { path: '/dev/ttyTEST0', baudRate: 57600 },
    address: 1,
    widthPx: 192,
    heightPx: 32,
    charset: 'gb2312',
    ...overrides,
  });
}

export function content(text: string, key = `hash-${text.length}`, layout: SignContent['layout'] = 'pages'): SignContent {
  return { key, text, layout, stayTimeSec: 3, speed: 4, colour: 'red' };
}

/**
 * Short backoffs so failure paths take a second or two. The answer budget leaves
 * room for two cores under a full test run and one-byte reads: at 400 ms a
 * loaded machine turned late answers into timeouts and extra clock syncs.
 */
export const FAST: Partial<LinkTuning> = {
  processingBudgetMs: 1_000,
  retries: 2,
  busyRetries: 4,
  busyBackoffMs: 20,
  reconnectInitialMs: 20,
  reconnectMaxMs: 200,
};

export function capturingLogger(): { logger: Logger; logs: LogEntry[] } {
  const logs: LogEntry[] = [];
  return { logger: createLogger({ level: 'debug', sink: (e) => logs.push(e) }), logs };
}

export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
