/** `/api/settings`: town-wide settings (services/settings.ts). */
import { SETTINGS_ROUTES, ok } from '../protocol/index.js';
import type { SettingsService } from '../services/settings.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

export function settingsHandlers(deps: { settings: SettingsService }): Handlers<typeof SETTINGS_ROUTES> {
  return {
    settings: (_req, res) => send(res, ok(deps.settings.get())),
    saveHolidays: async (req, res) => {
      const body = parse(SETTINGS_ROUTES.saveHolidays.body, req.body, res);
      if (body) send(res, await deps.settings.setHolidays(body, currentUser(res)));
    },
    saveDeviceSettings: async (req, res) => {
      const body = parse(SETTINGS_ROUTES.saveDeviceSettings.body, req.body, res);
      if (body) send(res, await deps.settings.setDevices(body, currentUser(res)));
    },
    saveEmergencySettings: async (req, res) => {
      const body = parse(SETTINGS_ROUTES.saveEmergencySettings.body, req.body, res);
      if (body) send(res, await deps.settings.setEmergency(body, currentUser(res)));
    },
    saveRecordSettings: async (req, res) => {
      const body = parse(SETTINGS_ROUTES.saveRecordSettings.body, req.body, res);
      if (body) send(res, await deps.settings.setRecords(body, currentUser(res)));
    },
  };
}
