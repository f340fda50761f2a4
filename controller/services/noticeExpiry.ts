/**
 * The end of approved notices' windows: while this part runs, notices whose window has ended are expired
 * every {@link EXPIRY_INTERVAL_MS} (a failed round is logged and retried on the next); the start expires
 * what ended while the controller was down before it answers.
 */
import type { Logger } from '../logger.js';
import type { Part } from '../ops/lifecycle.js';
import type { NoticeService } from './notices.js';

/** How often approved notices are checked for the end of their window. */
export const EXPIRY_INTERVAL_MS = 30_000;

export function createNoticeExpiry(deps: { notices: Pick<NoticeService, 'expireDue'>; logger: Logger; intervalMs?: number }): Part {
  let timer: NodeJS.Timeout | null = null;
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    async start() {
      timer = setInterval(() => {
        deps.notices.expireDue().catch((error: unknown) => deps.logger.error('could not expire notices; will retry', { error }));
      }, deps.intervalMs ?? EXPIRY_INTERVAL_MS);
      timer.unref();
      try {
        await deps.notices.expireDue();
      } catch (error) {
        stop();
        throw error;
      }
    },
    stop,
  };
}
