import {
  type Ack,
  DEFAULT_EMERGENCY_TAKEOVER,
  EMERGENCY_LEVELS,
  type EmergencyLevel,
  type EmergencySettingsRequest,
  emergencySettingsRequest,
  fail,
  invalidPayload,
} from '@protocol';
import { FailureMessage, FieldError, Flash, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { TownSettings } from '../../lib/api';
import { type SettingsParse, useSettingsForm } from './useSettingsForm';

export interface EmergencySettingsFormProps {
  /** The town's settings as loaded; null while loading. */
  settings: TownSettings | null;
  save: (body: EmergencySettingsRequest) => Promise<Ack<TownSettings>>;
  onSaved: (settings: TownSettings) => void;
}

type Column = 'fullScreenMin' | 'againAfterMin';
const COLUMNS: readonly Column[] = ['fullScreenMin', 'againAfterMin'];
type Texts = Record<EmergencyLevel, Record<Column, string>>;

const textsOf = (settings: TownSettings | null): Texts => {
  const times = settings?.emergencyTakeover ?? DEFAULT_EMERGENCY_TAKEOVER;
  const texts = {} as Texts;
  for (const level of EMERGENCY_LEVELS) {
    const t = times[level] ?? DEFAULT_EMERGENCY_TAKEOVER[level];
    texts[level] = { fullScreenMin: String(t.fullScreenMin), againAfterMin: String(t.againAfterMin) };
  }
  return texts;
};

/** The boxes as whole minutes, or the boxes that do not hold a whole number. */
export function parseEmergencySettings(texts: Texts): SettingsParse<EmergencySettingsRequest> {
  const fields: Record<string, string> = {};
  const times: Record<string, Record<Column, number>> = {};
  for (const level of EMERGENCY_LEVELS) {
    const row = {} as Record<Column, number>;
    for (const column of COLUMNS) {
      const text = texts[level][column].trim();
      const value = Number(text);
      if (text === '' || !Number.isInteger(value)) fields[`emergencyTakeover.${level}.${column}`] = 'enter a whole number';
      row[column] = value;
    }
    times[level] = row;
  }
  if (Object.keys(fields).length > 0) return { ok: false, failure: fail('invalid_payload', 'enter whole numbers', fields) };
  const parsed = emergencySettingsRequest.safeParse({ emergencyTakeover: times });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: invalidPayload(parsed.error) };
}

/**
 * 预警显示: per warning level, how long a warning holds a kiosk's whole screen when it arrives,
 * and after how long it takes the whole screen again (the other notices show under its banner meanwhile).
 */
export function EmergencySettingsForm({ settings, save, onSaved }: EmergencySettingsFormProps) {
  const { t } = useI18n();
  const s = t.devices.emergency;
  const { texts, set, busy, failure, done, onSubmit } = useSettingsForm({
    settings,
    textsOf,
    parse: parseEmergencySettings,
    save,
    onSaved,
    saved: s.saved,
  });
  const setBox = (level: EmergencyLevel, column: Column, value: string): void =>
    set((x) => ({ ...x, [level]: { ...x[level], [column]: value } }));

  return (
    <form class="card emergency-settings" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="emergency-settings-heading">
      <h2 id="emergency-settings-heading">{s.heading}</h2>
      <p class="hint" id="emergency-settings-hint">
        {s.hint}
      </p>
      <table class="emergency-times">
        <thead>
          <tr>
            <th scope="col">{s.level}</th>
            <th scope="col">{s.fullScreenMin}</th>
            <th scope="col">{s.againAfterMin}</th>
          </tr>
        </thead>
        <tbody>
          {EMERGENCY_LEVELS.map((level) => (
            <tr key={level} data-level={level}>
              <th scope="row">{s.levels[level]}</th>
              {COLUMNS.map((column) => {
                const id = `emergency-${level}-${column}`;
                const error = fieldErrorFor(failure, `emergencyTakeover.${level}.${column}`);
                return (
                  <td key={column}>
                    <input
                      id={id}
                      type="number"
                      inputMode="numeric"
                      step={1}
                      min={1}
                      aria-label={`${s.levels[level]} ${column === 'fullScreenMin' ? s.fullScreenMin : s.againAfterMin}`}
                      value={texts[level][column]}
                      onInput={(e) => setBox(level, column, e.currentTarget.value)}
                      {...describe(id, error)}
                    />
                    <FieldError id={`${id}-error`} message={error} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <FailureMessage failure={failure} />
      <Flash message={done} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {s.save}
        </button>
      </div>
    </form>
  );
}
