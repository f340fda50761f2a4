import type { IncomingMessage } from 'node:http';

/** Whether a socket's remote address is this machine. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Express's compiled `trust proxy` test (`app.get('trust proxy fn')`): is the hop at `index` (0 = the socket's peer) a trusted proxy? */
export type TrustFn = (address: string, index: number) => boolean;

/**
 * The client's address as express's `req.ip` would give it for the same
 * request: walk from the socket's peer back through X-Forwarded-For while
 * each hop is a trusted proxy, and stop at the first one that is not. With no
 * trusted proxy this is the peer itself, so a forged header changes nothing.
 *
 * @example
 * clientAddress('127.0.0.1', '203.0.113.7, 10.0.0.2', (a) => a === '127.0.0.1') // '10.0.0.2'
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trust: TrustFn): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = [
    peer,
    ...header
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '')
      .reverse(),
  ];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i] ?? '', i)) return hops[i] ?? peer;
  }
  return hops.at(-1) ?? peer;
}

/**
 * Whether a request came over TLS, as express's `req.secure` would say for it: its own connection is TLS, or
 * the socket's peer is a trusted proxy and the first X-Forwarded-Proto value is `https`. For socket.io
 * handshakes, which express never sees. Without a trusted proxy a forged header changes nothing.
 */
export function requestIsSecure(req: IncomingMessage, trust: TrustFn | undefined): boolean {
  const own = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  if (!trust?.(req.socket.remoteAddress ?? '', 0)) return own === 'https';
  const header = req.headers['x-forwarded-proto'];
  const value = (Array.isArray(header) ? header[0] : header) || own;
  return value.split(',')[0]?.trim() === 'https';
}
