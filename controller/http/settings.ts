/** `/api/settings`: town-wide settings; for now the holiday schedule changes the built-in calendar does not know yet. */
import type { Actor } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import {
  deviceSettingsRequest,
  emergencySettingsRequest,
  fail,
  holidayOverridesRequest,
  ok,
  recordSettingsRequest,
} from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { Settings, StateStore } from '../store/state.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function settingsRoutes(deps: { store: StateStore; ledger: Ledger; bus: EventBus }): RouteDef[] {
  return [
    route('get', '/settings', 'signed_in', (_req, res) => send(res, ok<Settings>(deps.store.read().settings))),
    route('put', '/settings/holidays', ['admin'], async (req, res) => {
      const body = parse(holidayOverridesRequest, req.body, res);
      if (!body) return;
      // The schema checked each date; what is left is a day listed both as off and as worked.
      const both = body.holidays.filter((day) => body.workdays.includes(day));
      if (both.length > 0) {
        const problem = `${both.join(', ')}: a day is either off or worked, not both (同一天不能既放假又调休上班)`;
        return send(res, fail('invalid_payload', `holidays, workdays: ${problem}`, { holidays: problem, workdays: problem }));
      }
      const actor: Actor = currentUser(res);
      const { result: settings } = await recordThenSave(deps, { type: 'settings.holidays', ...body, actorId: actor.id }, (s) => {
        s.settings = { ...s.settings, holidayOverrides: { holidays: [...body.holidays].sort(), workdays: [...body.workdays].sort() } };
        return s.settings;
      });
      send(res, ok(settings));
    }),
    route('put', '/settings/devices', ['admin'], async (req, res) => {
      const body = parse(deviceSettingsRequest, req.body, res);
      if (!body) return;
      const { result: settings } = await recordThenSave(deps, { type: 'settings.devices', ...body, actorId: currentUser(res).id }, (s) => {
        s.settings = { ...s.settings, ...body };
        return s.settings;
      });
      deps.bus.emit('playlists:stale');
      send(res, ok(settings));
    }),
    route('put', '/settings/emergency', ['admin'], async (req, res) => {
      const body = parse(emergencySettingsRequest, req.body, res);
      if (!body) return;
      const { result: settings } = await recordThenSave(
        deps,
        { type: 'settings.emergency', ...body, actorId: currentUser(res).id },
        (s) => {
          s.settings = { ...s.settings, ...body };
          return s.settings;
        },
      );
      // Kiosks hold the times in their playlist, so they keep them while offline.
      deps.bus.emit('playlists:stale');
      send(res, ok(settings));
    }),
    route('put', '/settings/records', ['admin'], async (req, res) => {
      const body = parse(recordSettingsRequest, req.body, res);
      if (!body) return;
      const { result: settings } = await recordThenSave(deps, { type: 'settings.records', ...body, actorId: currentUser(res).id }, (s) => {
        s.settings = { ...s.settings, ...body };
        return s.settings;
      });
      send(res, ok(settings));
    }),
  ];
}
