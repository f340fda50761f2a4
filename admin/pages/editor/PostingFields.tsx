import { type HolidayCalendar, civilDateOf } from '@protocol';
import { LateStartNote, lateStartOf } from '../../components/LateStartNote';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
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
        <div class="field">
          <label for="notice-start">{e.start}</label>
          <input
            id="notice-start"
            type="date"
            value={draft.postingStart}
            onInput={(ev) => update({ postingStart: ev.currentTarget.value })}
            {...describe('notice-start', startError)}
          />
          <FieldError id="notice-start-error" message={startError} />
        </div>
        <fieldset class="field inner rule-kinds">
          <legend>{e.rule}</legend>
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
        </fieldset>
      </div>
      {counted && (
        <div class="field narrow">
          <label for="notice-days">{draft.ruleKind === 'working_days' ? e.workingDays : e.days}</label>
          <input
            id="notice-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            step={1}
            value={draft.ruleDays}
            onInput={(ev) => update({ ruleDays: ev.currentTarget.value })}
            {...describe('notice-days', daysError)}
          />
          <FieldError id="notice-days-error" message={daysError} />
        </div>
      )}
      {draft.ruleKind === 'until' && (
        <div class="field narrow">
          <label for="notice-end">{e.end}</label>
          <input
            id="notice-end"
            type="date"
            min={draft.postingStart}
            value={draft.ruleEnd}
            onInput={(ev) => update({ ruleEnd: ev.currentTarget.value })}
            {...describe('notice-end', endError)}
          />
          <FieldError id="notice-end-error" message={endError} />
        </div>
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
