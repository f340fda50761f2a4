import { type HolidayCalendar, civilDateOf } from '@protocol';
import { LateStartNote, lateStartOf } from '../../components/LateStartNote';
import { fieldErrorFor } from '../../components/Feedback';
import { Field, FieldSet } from '../../components/Field';
import { useI18n } from '../../i18n';
import { type RuleKind, ruleOf } from '../../lib/noticeDraft';
import { previewWindow } from '../../lib/posting';
import type { DraftFieldsProps } from './types';

const KINDS: readonly RuleKind[] = ['calendar_days', 'working_days', 'until', 'long_term'];

/** 公示期: start date and rule, with the last day worked out live on the 调休 calendar. */
export function PostingFields({
  draft,
  update,
  failure,
  calendar,
  today = civilDateOf(Date.now()),
}: DraftFieldsProps & { calendar: HolidayCalendar; today?: string }) {
  const { t } = useI18n();
  const e = t.editor;
  const startError = fieldErrorFor(failure, 'posting.start');
  const daysError = fieldErrorFor(failure, 'posting.rule.days');
  const endError = fieldErrorFor(failure, 'posting.rule.end');
  const window = previewWindow(calendar, draft);
  // An emergency runs to its own expiry; a late start does not shorten it.
  const late = window && !draft.emergency ? lateStartOf(calendar, ruleOf(draft), draft.postingStart, today) : null;
  const counted = draft.ruleKind === 'calendar_days' || draft.ruleKind === 'working_days';
  return (
    <fieldset class="group">
      <legend>{e.sections.posting}</legend>
      <div class="row">
        <Field id="notice-start" label={e.start} error={startError}>
          {(control) => (
            <input {...control} type="date" value={draft.postingStart} onInput={(ev) => update({ postingStart: ev.currentTarget.value })} />
          )}
        </Field>
        <FieldSet id="notice-rule-kind" class="field inner rule-kinds" legend={e.rule} error={fieldErrorFor(failure, 'posting.rule.kind')}>
          <div class="choices">
            {KINDS.map((kind) => (
              <label class="choice" key={kind}>
                <input
                  type="radio"
                  name="rule-kind"
                  value={kind}
                  checked={draft.ruleKind === kind}
                  onChange={() => update({ ruleKind: kind })}
                />
                {e.rules[kind]}
              </label>
            ))}
          </div>
        </FieldSet>
      </div>
      {counted && (
        <Field id="notice-days" label={draft.ruleKind === 'working_days' ? e.workingDays : e.days} error={daysError} class="narrow">
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              step={1}
              value={draft.ruleDays}
              onInput={(ev) => update({ ruleDays: ev.currentTarget.value })}
            />
          )}
        </Field>
      )}
      {draft.ruleKind === 'until' && (
        <Field id="notice-end" label={e.end} error={endError} class="narrow">
          {(control) => (
            <input
              {...control}
              type="date"
              min={draft.postingStart}
              value={draft.ruleEnd}
              onInput={(ev) => update({ ruleEnd: ev.currentTarget.value })}
            />
          )}
        </Field>
      )}
      <div class="window" aria-live="polite" data-window-end={window?.end ?? ''}>
        {window && (
          <>
            <p class="window-range">{window.end === null ? e.windowLongTerm(window.start) : e.window(window.start, window.end)}</p>
            {window.holidays.length > 0 && draft.ruleKind === 'working_days' && (
              <p class="hint">{e.holidaysOnTheWay(window.holidays.join('、'))}</p>
            )}
            <LateStartNote late={late} today={today} drafting />
            {window.uncoveredYears.map((year) => (
              <p class="hint warn-text" key={year}>
                {e.calendarUnknown(year)}
              </p>
            ))}
          </>
        )}
      </div>
    </fieldset>
  );
}
