import { type Failure, type HolidayCalendar, createHolidayCalendar } from '@protocol';
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { AdminApi, TownInfo, TownSettings } from '../api';

/** The town, its villages and its working-day calendar. */
export interface TownData {
  town: TownInfo | null;
  /** The working-day calendar with the town's holiday overrides, as the controller computes posting periods. */
  calendar: HolidayCalendar;
  reloadTown: () => Promise<void>;
}

/** The town and its settings (for the calendar); `load` fetches both and answers the first failure. */
export function useTownData(api: AdminApi): { data: TownData; load: () => Promise<Failure | null> } {
  const [town, setTown] = useState<TownInfo | null>(null);
  const [settings, setSettings] = useState<TownSettings | null>(null);

  const reloadTown = useCallback(async () => {
    const ack = await api.town();
    if (ack.ok) setTown(ack.data);
  }, [api]);

  const load = useCallback(async (): Promise<Failure | null> => {
    const [townAck, settingsAck] = await Promise.all([api.town(), api.settings()]);
    if (townAck.ok) setTown(townAck.data);
    if (settingsAck.ok) setSettings(settingsAck.data);
    return !townAck.ok ? townAck : !settingsAck.ok ? settingsAck : null;
  }, [api]);

  const overrides = settings?.holidayOverrides;
  const calendar = useMemo(() => {
    try {
      return createHolidayCalendar(overrides ?? {});
    } catch {
      return createHolidayCalendar(); // the controller checks overrides when they are set; this is only a preview
    }
  }, [overrides]);

  const data = useMemo(() => ({ town, calendar, reloadTown }), [town, calendar, reloadTown]);
  return { data, load };
}
