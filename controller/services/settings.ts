/**
 * Town-wide settings (`TownSettings`): each change is a declared ledger
 * record first, then state, then the news that kiosks' playlists must be
 * compiled again when kiosks carry the setting. A new staff setting is one
 * method here (its record, the change, whether playlists carry it).
 */
import type { z } from 'zod';
import type { Actor } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import {
  type Ack,
  type TownSettings,
  type deviceSettingsRequest,
  type emergencySettingsRequest,
  type holidayOverridesRequest,
  type recordSettingsRequest,
  fail,
  ok,
} from '../protocol/index.js';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { StateStore } from '../store/state.js';

type Holidays = z.output<typeof holidayOverridesRequest>;

export interface SettingsService {
  get(): TownSettings;
  /** Refuses a day listed both as off and as worked (naming both fields) and changes nothing. */
  setHolidays(body: Holidays, actor: Actor): Promise<Ack<TownSettings>>;
  setDevices(body: z.output<typeof deviceSettingsRequest>, actor: Actor): Promise<Ack<TownSettings>>;
  setEmergency(body: z.output<typeof emergencySettingsRequest>, actor: Actor): Promise<Ack<TownSettings>>;
  setRecords(body: z.output<typeof recordSettingsRequest>, actor: Actor): Promise<Ack<TownSettings>>;
}

export function createSettingsService(deps: { store: StateStore; ledger: Ledger; bus: EventBus }): SettingsService {
  /**
   * Records `entry`, then saves the settings `change` makes; `inPlaylists`: kiosks hold these in their playlist
   * (so they keep them while offline), which must be compiled again.
   */
  async function save(entry: LedgerEntry, change: (s: TownSettings) => TownSettings, inPlaylists: boolean): Promise<Ack<TownSettings>> {
    const { result } = await recordThenSave(deps, entry, (s) => {
      s.settings = change(s.settings);
      return s.settings;
    });
    if (inPlaylists) deps.bus.emit('playlists:stale');
    return ok(result);
  }
  return {
    get: () => deps.store.read().settings,
    setHolidays(body, actor) {
      // The schema checked each date; what is left is a day listed both as off and as worked.
      const both = body.holidays.filter((day) => body.workdays.includes(day));
      if (both.length > 0) {
        const problem = `${both.join(', ')}: a day is either off or worked, not both (同一天不能既放假又调休上班)`;
        return Promise.resolve(fail('invalid_payload', `holidays, workdays: ${problem}`, { holidays: problem, workdays: problem }));
      }
      const holidayOverrides = { holidays: [...body.holidays].sort(), workdays: [...body.workdays].sort() };
      return save({ type: 'settings.holidays', ...body, actorId: actor.id }, (s) => ({ ...s, holidayOverrides }), false);
    },
    setDevices: (body, actor) => save({ type: 'settings.devices', ...body, actorId: actor.id }, (s) => ({ ...s, ...body }), true),
    setEmergency: (body, actor) => save({ type: 'settings.emergency', ...body, actorId: actor.id }, (s) => ({ ...s, ...body }), true),
    setRecords: (body, actor) => save({ type: 'settings.records', ...body, actorId: actor.id }, (s) => ({ ...s, ...body }), false),
  };
}
