/**
 * `/api/devices`: the town's kiosks (and later signs), with their status;
 * pairing by code, settings and revocation. `/api/pairing`: what a new kiosk
 * calls, without an account, to get a code and later its token.
 */
import type { RateLimit } from '../auth/rateLimit.js';
import {
  type Device,
  type DeviceView,
  type EmergencyAckView,
  type PairedDevice,
  type PublicUrlCheck,
  createDeviceRequest,
  emptyRequest,
  fail,
  ok,
  pairDeviceRequest,
  pairingClaimRequest,
  revokeDeviceRequest,
  updateDeviceRequest,
} from '../protocol/index.js';
import { targetsVillage } from '../domain/notices.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { NoticeService } from '../services/notices.js';
import { withinScope } from '../domain/villageScope.js';
import { currentUser, param, parse, send, userScope } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function deviceRoutes(deps: {
  devices: DeviceService;
  displays: DisplayService;
  notices: Pick<NoticeService, 'get'>;
  kioskUrl: (deviceId: string) => string;
  publicUrlCheck: () => PublicUrlCheck;
  /** New codes per address; a code that ends in a pairing is given back, so the limit bounds unused codes. */
  pairingLimit: RateLimit;
  /** Claim polls per address (a new kiosk asks every few seconds). */
  claimLimit: RateLimit;
}): RouteDef[] {
  const withUrl = (d: Device): DeviceView => ({ ...d, kioskUrl: deps.kioskUrl(d.id) });
  return [
    route('get', '/devices', 'signed_in', (_req, res) => {
      send(res, ok<DeviceView[]>(withinScope(userScope(res), deps.devices.list(), (d) => d.villageId).map(withUrl)));
    }),
    // Before /devices/:id: whether phones can open the QR codes (a loopback public URL), with the option to set.
    route('get', '/devices/public-url', 'signed_in', (_req, res) => {
      send(res, ok<PublicUrlCheck>(deps.publicUrlCheck()));
    }),
    route('post', '/devices', ['admin'], async (req, res) => {
      const body = parse(createDeviceRequest, req.body, res);
      if (!body) return;
      const result = await deps.devices.create(body, currentUser(res));
      if (!result.ok) return send(res, result);
      const { device, token } = result.data;
      // The pairing link carries the token once; the kiosk keeps it and removes it from the address bar.
      send(res, ok<PairedDevice>({ device, token, pairingUrl: `${deps.kioskUrl(device.id)}&token=${encodeURIComponent(token)}` }), 201);
    }),
    route('post', '/devices/pair', ['admin'], async (req, res) => {
      const body = parse(pairDeviceRequest, req.body, res);
      if (!body) return;
      const result = await deps.devices.pair(body, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result, 201);
    }),
    route('patch', '/devices/:id', ['admin'], async (req, res) => {
      const body = parse(updateDeviceRequest, req.body, res);
      if (!body) return;
      const result = await deps.devices.update(param(req, 'id'), body, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result);
    }),
    route('post', '/devices/:id/revoke', ['admin'], async (req, res) => {
      const body = parse(revokeDeviceRequest, req.body, res);
      if (!body) return;
      const result = await deps.devices.revoke(param(req, 'id'), body.reason, currentUser(res));
      send(res, result.ok ? ok(withUrl(result.data)) : result);
    }),
    route('get', '/notices/:id/emergency-acks', 'signed_in', (req, res) => {
      const notice = deps.notices.get(param(req, 'id'));
      const live = notice?.live ?? null;
      if (!notice || !live?.content.emergency) return send(res, fail('not_found', 'no live emergency warning with this id'));
      const acks = deps.displays.emergencyAcks(live.contentHash);
      const devices = withinScope(userScope(res), deps.devices.list(), (d) => d.villageId)
        .filter((d) => d.kind === 'kiosk' && d.revokedAt === null && targetsVillage(live.content.target, d.villageId))
        .map((d) => ({ deviceId: d.id, name: d.name, villageId: d.villageId, online: d.online, acknowledgedAt: acks.get(d.id) ?? null }));
      send(res, ok<EmergencyAckView>({ noticeId: notice.id, contentHash: live.contentHash, devices }));
    }),
    route('post', '/pairing', 'public', (req, res) => {
      // req.ip: the client's own address, also behind a trusted reverse proxy (--trust-proxy).
      const address = req.ip ?? 'unknown';
      if (!deps.pairingLimit.take(address)) {
        res.setHeader('Retry-After', String(deps.pairingLimit.retryAfterSec(address)));
        return send(res, fail('rate_limited', 'too many pairing requests from this address; wait a minute'));
      }
      if (parse(emptyRequest, req.body, res) === undefined) return;
      send(res, deps.devices.offerPairing(), 201);
    }),
    route('post', '/pairing/claim', 'public', (req, res) => {
      const address = req.ip ?? 'unknown';
      if (!deps.claimLimit.take(address)) {
        res.setHeader('Retry-After', String(deps.claimLimit.retryAfterSec(address)));
        return send(res, fail('rate_limited', 'asking too often; wait a few seconds'));
      }
      const body = parse(pairingClaimRequest, req.body, res);
      if (!body) return;
      const result = deps.devices.claimPairing(body.claim);
      // A kiosk behind the same village router as twenty others must not wait because its neighbours were paired.
      if (result.ok && result.data.status === 'paired') deps.pairingLimit.refund(address);
      send(res, result);
    }),
  ];
}
