/** Cross-cutting HTTP concerns: CSRF, request bodies, JSON errors. Access rules live with the routes (routes.ts). */
import { isUtf8 } from 'node:buffer';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { fail, loneSurrogateRefusal } from '../protocol/index.js';
import { type DiskWatch, DISK_FULL_MESSAGE, isDiskFull } from '../ops/diskWatch.js';
import { LedgerWriteError } from '../services/ledger.js';
import { send } from './respond.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence on top of SameSite=Strict cookies: a state-changing request
 * that a browser marks with a foreign Origin is refused. Non-browser clients
 * send no Origin and carry no ambient cookies, so they pass.
 */
export function sameOriginOnly(allowedOrigins: () => readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (
      origin !== undefined
        ? origin === own || allowedOrigins().includes(origin)
        : fetchSite === undefined || fetchSite === 'same-origin' || fetchSite === 'none'
    ) {
      return next();
    }
    send(res, fail('forbidden', 'cross-site request refused; use the Gongshi admin app'));
  };
}

/**
 * How fast a request body must arrive. A client that has not finished its body after `graceMs`, and has sent less
 * than `minBytesPerSec` on average since its headers or nothing at all for `idleMs`, is answered 408 and
 * disconnected: a trickling body (one byte every few seconds) would otherwise hold a connection and its parser for
 * minutes. A legitimate upload, even a 5 MB photo over a poor 4G link (64 kbit/s and up), keeps well above the pace.
 */
export interface BodyPace {
  graceMs: number;
  minBytesPerSec: number;
  idleMs: number;
}

export const BODY_PACE: BodyPace = { graceMs: 10_000, minBytesPerSec: 8 * 1024, idleMs: 15_000 };

const hasBody = (req: Request): boolean => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export function bodyDeadline(pace: BodyPace = BODY_PACE, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    if (req.complete || !hasBody(req)) return next();
    const socket = req.socket;
    const startedAt = now();
    const startBytes = socket.bytesRead;
    let lastBytes = startBytes;
    let lastProgressAt = startedAt;
    const stop = (): void => clearInterval(timer);
    const check = (): void => {
      if (req.complete || res.headersSent || socket.destroyed) return stop();
      const at = now();
      if (socket.bytesRead !== lastBytes) {
        lastBytes = socket.bytesRead;
        lastProgressAt = at;
      }
      const elapsed = at - startedAt;
      const slow = elapsed >= pace.graceMs && socket.bytesRead - startBytes < (pace.minBytesPerSec * elapsed) / 1000;
      const idle = at - lastProgressAt >= pace.idleMs;
      if (!slow && !idle) return;
      stop();
      res.setHeader('Connection', 'close');
      res.on('finish', () => socket.destroy());
      send(
        res,
        fail(
          'request_timeout',
          `the request body arrived too slowly (${socket.bytesRead - startBytes} bytes in ${Math.round(elapsed / 1000)} s); send it again (网络太慢，请求内容未能传完，请重试)`,
        ),
      );
    };
    const timer = setInterval(check, Math.max(100, Math.min(1000, pace.graceMs / 5)));
    timer.unref();
    res.on('close', stop);
    res.on('finish', stop);
    next();
  };
}

/** The error {@link utf8Only} raises for a body that is not UTF-8. */
const NOT_UTF8 = 'encoding.not_utf8';

/**
 * body-parser's `verify`: the raw bytes of a JSON body must be valid UTF-8. body-parser itself would decode
 * invalid sequences to U+FFFD and the text would be saved changed, without a word to the sender.
 */
export function utf8Only(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('the request body is not valid UTF-8'), { type: NOT_UTF8, status: 400 });
}

/** Refuses a JSON body or a query with a lone UTF-16 surrogate (`"\ud800"`) in any string, naming the fields. */
export const wellFormedText: RequestHandler = (req, res, next) => {
  const refusal = loneSurrogateRefusal(req.body) ?? loneSurrogateRefusal(req.query);
  if (refusal) return send(res, refusal);
  next();
};

export function apiNotFound(req: Request, res: Response): void {
  send(res, fail('not_found', `no API route ${req.method} ${req.path}`));
}

interface HttpError {
  type?: string;
  status?: number;
  limit?: number;
}

export function errorHandler(logger: Logger, disk?: DiskWatch): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const e = (typeof error === 'object' && error !== null ? error : {}) as HttpError;
    if (e.type === NOT_UTF8)
      return send(
        res,
        fail('invalid_payload', 'the request body is not valid UTF-8; send the text as UTF-8 (请求内容不是有效的 UTF-8 编码)'),
      );
    if (e.type === 'entity.parse.failed') return send(res, fail('invalid_payload', 'the request body is not valid JSON'));
    if (e.type === 'entity.too.large')
      return send(res, fail('payload_too_large', `the request body is larger than the ${e.limit ?? 0}-byte limit`));
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return send(res, fail('invalid_payload', 'send the body as UTF-8 JSON'));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      return send(res, fail('invalid_payload', 'the request could not be read'));
    // A full disk is the operator's to fix, and the sender's to retry: say so rather than "something went wrong".
    if (isDiskFull(error)) {
      disk?.note(error);
      logger.error(`${req.method} ${req.baseUrl}${req.path}: the data disk is full`, { error });
      return send(res, fail('disk_full', DISK_FULL_MESSAGE));
    }
    if (error instanceof LedgerWriteError) return send(res, fail('unavailable', error.message));
    // The path without its query: a query may carry a token (a kiosk's pairing link does).
    logger.error(`unhandled error on ${req.method} ${req.baseUrl}${req.path}`, { error });
    send(res, fail('internal', 'something went wrong on the controller; it has been logged'));
  };
}
