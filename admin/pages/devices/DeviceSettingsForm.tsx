import {
  type Ack,
  DEFAULT_OFFLINE_ALERT_MINUTES,
  DEFAULT_ROTATION_BOUNDS_SEC,
  deviceSettingsRequest,
  fail,
  invalidPayload,
} from '@protocol';
import { FailureMessage, Flash, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { DeviceSettings, TownSettings } from '../../lib/api';
import { type SettingsParse, useSettingsForm } from './useSettingsForm';

export interface DeviceSettingsFormProps {
  /** The town's settings as loaded; null while loading. */
  settings: TownSettings | null;
  save: (body: DeviceSettings) => Promise<Ack<TownSettings>>;
  onSaved: (settings: TownSettings) => void;
}

type Texts = Record<'offlineAlertMinutes' | 'min' | 'max', string>;

const textsOf = (settings: TownSettings | null): Texts => ({
  offlineAlertMinutes: String(settings?.offlineAlertMinutes ?? DEFAULT_OFFLINE_ALERT_MINUTES),
  min: String(settings?.rotationBoundsSec?.min ?? DEFAULT_ROTATION_BOUNDS_SEC.min),
  max: String(settings?.rotationBoundsSec?.max ?? DEFAULT_ROTATION_BOUNDS_SEC.max),
});

/** The boxes as numbers, or the boxes that do not hold a whole number. */
export function parseDeviceSettings(texts: Texts): SettingsParse<DeviceSettings> {
  const fields: Record<string, string> = {};
  const whole = (text: string, path: string): number => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isInteger(value)) fields[path] = 'enter a whole number';
    return value;
  };
  const body = {
    offlineAlertMinutes: whole(texts.offlineAlertMinutes, 'offlineAlertMinutes'),
    rotationBoundsSec: { min: whole(texts.min, 'rotationBoundsSec.min'), max: whole(texts.max, 'rotationBoundsSec.max') },
  };
  if (Object.keys(fields).length > 0) return { ok: false, failure: fail('invalid_payload', 'enter whole numbers', fields) };
  const parsed = deviceSettingsRequest.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: invalidPayload(parsed.error) };
}

/** 设备设置: when the offline alert fires, and how long a kiosk shows each notice. */
export function DeviceSettingsForm({ settings, save, onSaved }: DeviceSettingsFormProps) {
  const { t } = useI18n();
  const s = t.devices.settings;
  const { texts, set, busy, failure, done, onSubmit } = useSettingsForm({
    settings,
    textsOf,
    parse: parseDeviceSettings,
    save,
    onSaved,
    saved: s.saved,
  });

  const field = (key: keyof Texts, path: string, label: string, hint: string | null) => {
    const id = `device-settings-${key}`;
    const error = fieldErrorFor(failure, path);
    return (
      <Field id={id} label={label} hint={hint} error={error}>
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            step={1}
            value={texts[key]}
            onInput={(e) => {
              const value = e.currentTarget.value;
              set((x) => ({ ...x, [key]: value }));
            }}
          />
        )}
      </Field>
    );
  };

  return (
    <form class="card device-settings" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="device-settings-heading">
      <h2 id="device-settings-heading">{s.heading}</h2>
      <div class="row">
        {field('offlineAlertMinutes', 'offlineAlertMinutes', s.offlineAlert, s.offlineAlertHint)}
        {field('min', 'rotationBoundsSec.min', s.rotationMin, s.rotationHint)}
        {field('max', 'rotationBoundsSec.max', s.rotationMax, null)}
      </div>
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
