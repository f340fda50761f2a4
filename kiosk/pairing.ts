/**
 * Pairing a new kiosk: ask the controller for a code, show it, and ask every
 * few seconds whether staff have typed it into the admin. The claim secret
 * never leaves this kiosk; the code alone cannot fetch the token.
 */
import type { Ack, PairingClaimResult, PairingOffer } from '@protocol';

export const CLAIM_POLL_MS = 3_000;
/** After a failure (controller down, rate limited), wait this long before asking again. */
export const PAIRING_RETRY_MS = 10_000;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type PairingState =
  | { step: 'requesting' }
  | { step: 'showing'; code: string; expiresAt: number }
  | { step: 'failed'; message: string }
  | { step: 'paired'; deviceId: string };

export interface PairingDeps {
  fetch: Fetch;
  onState: (state: PairingState) => void;
  onPaired: (identity: { deviceId: string; token: string }) => void;
  now?: () => number;
  pollMs?: number;
  retryMs?: number;
}

async function post<T>(fetch: Fetch, path: string, body: unknown): Promise<Ack<T>> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Ack<T>;
}

/**
 * Runs the pairing loop until paired or stopped.
 *
 * @example
 * const stop = startPairing({ fetch: window.fetch.bind(window), onState: setState, onPaired: save });
 */
export function startPairing(deps: PairingDeps): () => void {
  const pollMs = deps.pollMs ?? CLAIM_POLL_MS;
  const retryMs = deps.retryMs ?? PAIRING_RETRY_MS;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const later = (fn: () => Promise<void>, ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void fn(), ms);
  };

  const offer = async (): Promise<void> => {
    deps.onState({ step: 'requesting' });
    try {
      const ack = await post<PairingOffer>(deps.fetch, '/api/pairing', {});
      if (stopped) return;
      if (!ack.ok) {
        deps.onState({ step: 'failed', message: ack.message });
        return later(offer, retryMs);
      }
      deps.onState({ step: 'showing', code: ack.data.code, expiresAt: ack.data.expiresAt });
      later(() => claim(ack.data.claim), pollMs);
    } catch {
      if (stopped) return;
      deps.onState({ step: 'failed', message: '无法连接镇政府服务器，稍后自动重试' });
      later(offer, retryMs);
    }
  };

  const claim = async (secret: string): Promise<void> => {
    try {
      const ack = await post<PairingClaimResult>(deps.fetch, '/api/pairing/claim', { claim: secret });
      if (stopped) return;
      if (!ack.ok) {
        // Expired (or the controller restarted and forgot it): a new code.
        if (ack.error === 'not_found') return void offer();
        return later(() => claim(secret), retryMs);
      }
      if (ack.data.status === 'paired') {
        deps.onState({ step: 'paired', deviceId: ack.data.deviceId });
        deps.onPaired({ deviceId: ack.data.deviceId, token: ack.data.token });
        return;
      }
      later(() => claim(secret), pollMs);
    } catch {
      later(() => claim(secret), retryMs);
    }
  };

  void offer();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}

const IDENTITY_KEY = 'gongshi.kiosk.device';

/** Which device this browser is, once paired (the token itself lives in the device's storage). */
export const pairedIdentity = {
  load: (backend: Pick<Storage, 'getItem'>): string | null => backend.getItem(IDENTITY_KEY),
  save: (backend: Pick<Storage, 'setItem'>, deviceId: string): void => backend.setItem(IDENTITY_KEY, deviceId),
  forget: (backend: Pick<Storage, 'removeItem'>): void => backend.removeItem(IDENTITY_KEY),
};
