/** `/api/settings`: town-wide settings (services/settings.ts). */
import {
  type TownSettings,
  deviceSettingsRequest,
  emergencySettingsRequest,
  holidayOverridesRequest,
  ok,
  recordSettingsRequest,
} from '../protocol/index.js';
import type { SettingsService } from '../services/settings.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function settingsRoutes(deps: { settings: SettingsService }): RouteDef[] {
  return [
    route('get', '/settings', 'signed_in', (_req, res) => send(res, ok<TownSettings>(deps.settings.get()))),
    route('put', '/settings/holidays', ['admin'], async (req, res) => {
      const body = parse(holidayOverridesRequest, req.body, res);
      if (body) send(res, await deps.settings.setHolidays(body, currentUser(res)));
    }),
    route('put', '/settings/devices', ['admin'], async (req, res) => {
      const body = parse(deviceSettingsRequest, req.body, res);
      if (body) send(res, await deps.settings.setDevices(body, currentUser(res)));
    }),
    route('put', '/settings/emergency', ['admin'], async (req, res) => {
      const body = parse(emergencySettingsRequest, req.body, res);
      if (body) send(res, await deps.settings.setEmergency(body, currentUser(res)));
    }),
    route('put', '/settings/records', ['admin'], async (req, res) => {
      const body = parse(recordSettingsRequest, req.body, res);
      if (body) send(res, await deps.settings.setRecords(body, currentUser(res)));
    }),
  ];
}
