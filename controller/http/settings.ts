/** `/api/settings`: town-wide settings; for now the holiday schedule changes the built-in calendar does not know yet. */
import type { Actor } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import { createHolidayCalendar, deviceSettingsRequest, fail, holidayOverridesRequest, ok } from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import type { Settings, StateStore } from '../store/state.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function settingsRoutes(deps: { store: StateStore; ledger: Ledger; bus: EventBus }): RouteDef[] {
  return [
    route('get', '/settings', 'signed_in', (_req, res) => send(res, ok<Settings>(deps.store.read().settings))),
    route('put', '/settings/holidays', ['admin'], async (req, res) => {
      const body = parse(holidayOverridesRequest, req.body, res);
      if (!body) return;
      try {
        createHolidayCalendar(body);
      } catch (error) {
        return send(res, fail('invalid_payload', error instanceof RangeError ? error.message : 'the holiday overrides are inconsistent'));
      }
      const actor: Actor = currentUser(res);
      await deps.ledger.append([{ type: 'settings.holidays', ...body, actorId: actor.id }]);
      const settings = await deps.store.update((s) => {
        s.settings = { ...s.settings, holidayOverrides: { holidays: [...body.holidays].sort(), workdays: [...body.workdays].sort() } };
        return s.settings;
      });
      send(res, ok(settings));
    }),
    route('put', '/settings/devices', ['admin'], async (req, res) => {
      const body = parse(deviceSettingsRequest, req.body, res);
      if (!body) return;
      await deps.ledger.append([{ type: 'settings.devices', ...body, actorId: currentUser(res).id }]);
      const settings = await deps.store.update((s) => {
        s.settings = { ...s.settings, ...body };
        return s.settings;
      });
      deps.bus.emit('playlists:stale');
      send(res, ok(settings));
    }),
  ];
}
