/**
 * Reload when the controller serves another build, but never in a loop: if the
 * controller was rebuilt without a restart it keeps naming its old build, and
 * a kiosk that reloaded for that build already must stay up and show notices.
 */

export const RELOAD_GUARD_MS = 10 * 60_000;
const KEY = 'gongshi:kiosk:reloaded-for';

/** Whether to reload for `serverBuild`; records the decision in `memory` (sessionStorage) so it is made once. */
export function shouldReload(serverBuild: string, ownBuild: string, memory: Pick<Storage, 'getItem' | 'setItem'>, now: number): boolean {
  if (serverBuild === ownBuild || serverBuild === 'dev') return false;
  try {
    const last = JSON.parse(memory.getItem(KEY) ?? 'null') as { build?: unknown; at?: unknown } | null;
    if (last && last.build === serverBuild && typeof last.at === 'number' && now - last.at < RELOAD_GUARD_MS) return false;
    memory.setItem(KEY, JSON.stringify({ build: serverBuild, at: now }));
  } catch {
    return false; // no session memory: a reload could loop, so stay
  }
  return true;
}
