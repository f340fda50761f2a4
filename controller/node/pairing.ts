/**
 * How a village node gets its token: like a new kiosk it asks the controller
 * for a 6-digit code (`POST /api/pairing`), prints it for staff to enter in
 * the admin (设备 → 村级节点) with the village and a name, and asks every few
 * seconds whether they have (`POST /api/pairing/claim`). The token it is
 * handed once goes to `<data>/node-token.json`, mode 0600; the controller
 * keeps only its hash.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Ack, PairingClaimResult, PairingOffer } from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';

export const TOKEN_FILE = 'node-token.json';

export interface NodeCredentials {
  deviceId: string;
  /**
   * The device token; null only for the demo village node the controller runs in-process, which opens without
   * one from the controller's own machine while demo mode is on (like the demo kiosks).
   */
  token: string | null;
  /** The controller it was paired with: a token is worthless elsewhere. */
  controller: string;
}

export async function readCredentials(dataDir: string): Promise<NodeCredentials | null> {
  const text = await readFile(path.join(dataDir, TOKEN_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = JSON.parse(text) as Partial<NodeCredentials>;
  return typeof parsed.deviceId === 'string' && typeof parsed.token === 'string' && typeof parsed.controller === 'string'
    ? { deviceId: parsed.deviceId, token: parsed.token, controller: parsed.controller }
    : null;
}

export async function forgetCredentials(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, TOKEN_FILE), { force: true });
}

async function post<T>(url: string, body: unknown): Promise<Ack<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Ack<T>;
}

/**
 * Pairs with the controller at `controller`: shows each code through `show` (a new one when the last expired),
 * waits until staff entered it, saves the token and returns it. Rejects only when `signal` aborts.
 */
export async function pairNode(deps: {
  controller: string;
  dataDir: string;
  show: (code: string, expiresAt: number) => void;
  log: (message: string) => void;
  pollMs?: number;
  signal?: AbortSignal;
}): Promise<NodeCredentials> {
  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      deps.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('pairing stopped'));
      });
    });
  for (;;) {
    deps.signal?.throwIfAborted();
    let offer: Ack<PairingOffer>;
    try {
      offer = await post<PairingOffer>(`${deps.controller}/api/pairing`, {});
    } catch (error) {
      deps.log(
        `cannot reach the controller at ${deps.controller} (${error instanceof Error ? error.message : String(error)}); trying again`,
      );
      await wait(5_000);
      continue;
    }
    if (!offer.ok) {
      deps.log(`the controller refused a pairing code: ${offer.message}`);
      await wait(10_000);
      continue;
    }
    deps.show(offer.data.code, offer.data.expiresAt);
    for (;;) {
      await wait(deps.pollMs ?? 3_000);
      const claim = await post<PairingClaimResult>(`${deps.controller}/api/pairing/claim`, { claim: offer.data.claim }).catch(() => null);
      if (!claim) continue;
      if (!claim.ok) {
        if (claim.error === 'not_found') break; // expired: a new code
        continue;
      }
      if (claim.data.status === 'pending') continue;
      const credentials = { deviceId: claim.data.deviceId, token: claim.data.token, controller: deps.controller };
      await writeFileDurably(path.join(deps.dataDir, TOKEN_FILE), JSON.stringify(credentials), 0o600);
      return credentials;
    }
  }
}
