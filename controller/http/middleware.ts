/** Cross-cutting HTTP concerns: CSRF, JSON errors. Access rules live with the routes (routes.ts). */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { fail } from '../protocol/index.js';
import { type DiskWatch, DISK_FULL_MESSAGE, isDiskFull } from '../ops/diskWatch.js';
import { LedgerWriteError } from '../store/ledger.js';
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
