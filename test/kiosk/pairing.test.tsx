import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { PairingScreen } from '../../kiosk/PairingScreen';
import { type Fetch, pairedIdentity, startPairing } from '../../kiosk/pairing';

/** A fake controller for the two pairing calls: answers are queued per path. */
function fakeController(answers: Record<string, unknown[]>): { fetch: Fetch; calls: { path: string; body: unknown }[] } {
  const calls: { path: string; body: unknown }[] = [];
  const fetch: Fetch = (path, init) => {
    calls.push({ path, body: JSON.parse(typeof init?.body === 'string' ? init.body : '{}') });
    const next = answers[path]?.shift();
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(new Response(JSON.stringify(next)));
  };
  return { fetch, calls };
}

const offer = (code: string, claim = 'c'.repeat(32)) => ({ ok: true, data: { code, claim, expiresAt: Date.now() + 900_000 } });

describe('pairing', () => {
  it('shows the code, asks until staff entered it, then hands over the identity', async () => {
    const { fetch, calls } = fakeController({
      '/api/pairing': [offer('123456')],
      '/api/pairing/claim': [
        { ok: true, data: { status: 'pending', expiresAt: 1 } },
        { ok: true, data: { status: 'paired', deviceId: 'k9', token: 't0k3n' } },
      ],
    });
    const onPaired = vi.fn();
    render(<PairingScreen fetch={fetch} onPaired={onPaired} />);
    expect(await screen.findByLabelText('配对码 1 2 3 4 5 6')).toBeTruthy();
    await waitFor(() => expect(onPaired).toHaveBeenCalledWith({ deviceId: 'k9', token: 't0k3n' }), { timeout: 8_000 });
    expect(calls.filter((c) => c.path === '/api/pairing/claim')).toHaveLength(2);
    expect(calls[1]?.body).toEqual({ claim: 'c'.repeat(32) });
    expect(screen.getByText('配对成功，正在打开公告…')).toBeTruthy();
  }, 10_000);

  it('gets a new code when the old one expired, and retries when the controller is down', async () => {
    vi.useFakeTimers();
    try {
      const { fetch } = fakeController({
        '/api/pairing': [new Error('down'), offer('111111', 'a'.repeat(32)), offer('222222', 'b'.repeat(32))],
        '/api/pairing/claim': [{ ok: false, error: 'not_found', message: 'expired' }],
      });
      const states: string[] = [];
      const stop = startPairing({
        fetch,
        onState: (s) => states.push(s.step === 'showing' ? `showing ${s.code}` : s.step),
        onPaired: () => undefined,
        pollMs: 100,
        retryMs: 1_000,
      });
      await vi.advanceTimersByTimeAsync(5_000);
      stop();
      expect(states).toEqual(['requesting', 'failed', 'requesting', 'showing 111111', 'requesting', 'showing 222222']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('remembers which device this browser is, and forgets it', () => {
    const backend = new Map<string, string>();
    const storage = {
      getItem: (k: string) => backend.get(k) ?? null,
      setItem: (k: string, v: string) => void backend.set(k, v),
      removeItem: (k: string) => void backend.delete(k),
    };
    expect(pairedIdentity.load(storage)).toBeNull();
    pairedIdentity.save(storage, 'k9');
    expect(pairedIdentity.load(storage)).toBe('k9');
    pairedIdentity.forget(storage);
    expect(pairedIdentity.load(storage)).toBeNull();
  });
});
