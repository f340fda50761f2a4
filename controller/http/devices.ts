/** `/api/devices`: the town's kiosks (and later signs), with their status. */
import { type DeviceView, type PairedDevice, createDeviceRequest, ok } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import { parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function deviceRoutes(deps: { devices: DeviceService; kioskUrl: (deviceId: string) => string }): RouteDef[] {
  return [
    route('get', '/devices', 'signed_in', (_req, res) => {
      send(res, ok<DeviceView[]>(deps.devices.list().map((d) => ({ ...d, kioskUrl: deps.kioskUrl(d.id) }))));
    }),
    route('post', '/devices', ['admin'], async (req, res) => {
      const body = parse(createDeviceRequest, req.body, res);
      if (!body) return;
      const result = await deps.devices.create(body);
      if (!result.ok) return send(res, result);
      const { device, token } = result.data;
      // The pairing link carries the token once; the kiosk keeps it and removes it from the address bar.
      send(res, ok<PairedDevice>({ device, token, pairingUrl: `${deps.kioskUrl(device.id)}&token=${encodeURIComponent(token)}` }), 201);
    }),
  ];
}
