import { type SignPreset, SIGN_PRESETS } from '@protocol';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { charPosition } from '../../lib/format';
import type { LedReport } from '../../lib/led';
import type { SignsApi } from '../../lib/signsApi';
import { LedSignsCheck } from './LedSignsCheck';
import type { DraftFieldsProps } from './types';

export interface LedFieldsProps extends DraftFieldsProps {
  preset: SignPreset;
  onPreset: (preset: SignPreset) => void;
  /** The count for the text the sign will show (the title when the field is empty). */
  report: LedReport | null;
  /** The text measured. */
  text: string;
  /** The controller's check against the targeted signs' fonts; injected in tests. */
  checkText?: SignsApi['checkText'];
}

/** The short LED text, a sign size to measure it against, and its live count. */
export function LedFields({ draft, update, failure, preset, onPreset, report, text, checkText }: LedFieldsProps) {
  const { t, locale } = useI18n();
  const e = t.editor;
  const error = fieldErrorFor(failure, 'ledText');
  return (
    <fieldset class="group">
      <legend>{e.sections.led}</legend>
      <Field id="notice-led" label={e.ledText} hint={e.ledHint} error={error}>
        {(control) => (
          <textarea
            {...control}
            class="short"
            rows={3}
            maxLength={500}
            value={draft.ledText}
            placeholder={draft.title}
            onInput={(ev) => update({ ledText: ev.currentTarget.value })}
          />
        )}
      </Field>
      <Field id="notice-sign" label={e.sign} class="narrow-wide">
        {(control) => (
          <select
            {...control}
            value={preset.id}
            onChange={(ev) => onPreset(SIGN_PRESETS.find((p) => p.id === ev.currentTarget.value) ?? preset)}
          >
            {SIGN_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {locale === 'en' ? p.labelEn : p.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <LedCount report={report} text={text} />
      <LedSignsCheck
        text={text}
        target={draft.scope === 'town' ? { scope: 'town' } : { scope: 'villages', villageIds: draft.villageIds }}
        {...(checkText && { check: checkText })}
      />
    </fieldset>
  );
}

/** `23 个字，需要 3 屏`, and every character the sign's font lacks, by position. */
export function LedCount({ report, text }: { report: LedReport | null; text: string }) {
  const { t } = useI18n();
  const e = t.editor;
  if (!report) return null;
  const { stats } = report;
  return (
    <div class="led-count" aria-live="polite">
      <p class="led-count-line" data-led-pages={stats.pageCount} data-led-chars={stats.chars}>
        {stats.chars === 0 ? e.ledEmpty : e.ledCount(stats.chars, stats.pageCount)}
      </p>
      {stats.unsupported.length > 0 && (
        <div class="led-unsupported">
          <p>{e.unsupported(stats.unsupported.length)}</p>
          <ul>
            {stats.unsupported.map((u) => (
              <li key={u.index} data-led-unsupported={u.char}>
                <span class="char" lang="zh-CN">
                  {u.char}
                </span>{' '}
                U+{u.codePoint.toString(16).toUpperCase().padStart(4, '0')} · {e.position(charPosition(text, u.index))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
