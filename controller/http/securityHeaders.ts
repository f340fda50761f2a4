/**
 * Security headers for every answer (admin and kiosk apps, public notice
 * pages, the API), set by helmet: a strict Content-Security-Policy with no
 * inline script, nosniff, no referrer, no framing; HSTS only on requests that
 * came over TLS, directly or through a trusted proxy (`req.secure`), since a
 * town controller is often reached over plain HTTP on a LAN and HSTS there
 * would lock staff out.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';

/** A Host header we are willing to echo into the policy: a name or address with an optional port, nothing else. */
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * socket.io's websocket to the page's own host. CSP Level 3 lets `'self'` cover ws:/wss: of the same host, but
 * WebKit before 15.4 and older Android WebViews (cheap kiosk tablets) do not, so name the host explicitly.
 */
function ownSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Styles come from the apps' stylesheets; the few inline `style` values are set through the CSSOM, which CSP allows.
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'", (req: IncomingMessage) => ownSockets(req)],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} as const;

export const HSTS_MAX_AGE_SEC = 365 * 24 * 3600;

export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // Set below, only over TLS.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    xContentTypeOptions: true,
    // A kiosk opens no cross-origin windows; isolate the apps from any that open them.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  }) as RequestHandler;
  // Not includeSubDomains: the controller's host name may be a sibling of other town services it does not speak for.
  const hsts = strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SEC, includeSubDomains: false }) as RequestHandler;
  return (req, res, next) => {
    headers(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (req.secure) return hsts(req, res, next);
      next();
    });
  };
}
