/**
 * `/api/devices`: the town's kiosks (and later signs), with their status;
 * pairing by code, settings and revocation. `/api/pairing`: what a new kiosk
 * calls, without an account, to get a code and later its token.
 */
import type { RateLimit } from '../auth/rateLimit.js';
import { DEVICE_ROUTES, type Device, type DeviceView, type PublicUrlCheck, fail, ok } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import { emergencyAckView } from '../services/emergencyAcks.js';
import type { NoticeService } from '../services/notices.js';
import { withinScope } from '../domain/villageScope.js';
import { currentUser, parse, send, userScope } from './respond.js';
import type { Handlers } from './routes.js';

const R = DEVICE_ROUTES;

export function deviceHandlers(deps: {
  devices: DeviceService;
  displays: DisplayService;
  notices: Pick<NoticeService, 'get'>;
  kioskUrl: (deviceId: string) => string;
  publicUrlCheck: () => PublicUrlCheck;
  /** New codes per address; a code that ends in a pairing is given back, so the limit bounds unused codes. */
  pairingLimit: RateLimit;
  /** Claim polls per address (a new kiosk asks every few seconds). */
  claimLimit: RateLimit;
}): Handlers<typeof DEVICE_ROUTES> {
  const withUrl = (d: Device): DeviceView => ({ ...d, kioskUrl: deps.kioskUrl(d.id) });
  return {
    devices: (_req, res) => {
      send(res, ok(withinScope(userScope(res), deps.devices.list(), (d) => d.villageId).map(withUrl)));
    },
    publicUrl: (_req, res) => {
      send(res, ok(deps.publicUrlCheck()));
    },
    createDevice: async (req, res) => {
      const body = parse(R.createDevice.body, req.body, res);
      if (!body) return;
      const result = await deps.devices.create(body, currentUser(res));
      if (!result.ok) return send(res, result);
      const { device, token } = result.data;
      // The pairing link carries the token once; the kiosk keeps it and removes it from the address bar.
      send(res, ok({ device, token, pairingUrl: `${deps.kioskUrl(device.id)}&token=${encodeURIComponent(token)}` }), 201);
    },
    pairDevice: async (req, res) => {
      const body = parse(R.pairDevice.body, req.body, res);
      if (!body) return;
      const result = await deps.devices.pair(body, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result, 201);
    },
    updateDevice: async (req, res) => {
      const body = parse(R.updateDevice.body, req.body, res);
      if (!body) return;
      const result = await deps.devices.update(req.params.id, body, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result);
    },
    revokeDevice: async (req, res) => {
      const body = parse(R.revokeDevice.body, req.body, res);
      if (!body) return;
      const result = await deps.devices.revoke(req.params.id, body.reason, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result);
    },
    emergencyAcks: (req, res) => {
      send(res, emergencyAckView(deps, req.params.id, userScope(res)));
    },
    offerPairing: (req, res) => {
      // req.ip: the client's own address, also behind a trusted reverse proxy (--trust-proxy).
      const address = req.ip ?? 'unknown';
      if (!deps.pairingLimit.take(address)) {
        res.setHeader('Retry-After', String(deps.pairingLimit.retryAfterSec(address)));
        return send(res, fail('rate_limited', 'too many pairing requests from this address; wait a minute'));
      }
      if (parse(R.offerPairing.body, req.body, res) === undefined) return;
      send(res, deps.devices.offerPairing(), 201);
    },
    claimPairing: (req, res) => {
      const address = req.ip ?? 'unknown';
      if (!deps.claimLimit.take(address)) {
        res.setHeader('Retry-After', String(deps.claimLimit.retryAfterSec(address)));
        return send(res, fail('rate_limited', 'asking too often; wait a few seconds'));
      }
      const body = parse(R.claimPairing.body, req.body, res);
      if (!body) return;
      const result = deps.devices.claimPairing(body.claim);
      // A kiosk behind the same village router as twenty others must not wait because its neighbours were paired.
      if (result.ok && result.data.status === 'paired') deps.pairingLimit.refund(address);
      send(res, result);
    },
  };
}
