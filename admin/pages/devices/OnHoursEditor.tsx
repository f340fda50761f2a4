import { FieldError } from '../../components/Feedback';
import { FieldSet } from '../../components/Field';
import { useI18n } from '../../i18n';
import {
  DEFAULT_PERIOD,
  MAX_PERIODS_PER_DAY,
  type OnHoursDraft,
  type OnHoursMode,
  type OnHoursProblems,
  type PeriodText,
  switchMode,
} from '../../lib/onHours';

export interface OnHoursEditorProps {
  draft: OnHoursDraft;
  onChange: (draft: OnHoursDraft) => void;
  /** Problems found in the boxes, by `daily.0.from` / `weekly.3.1.to`. */
  problems: OnHoursProblems;
  /** The controller's refusal of the hours as a whole, if any. */
  error: string | null;
}

const MODES: readonly OnHoursMode[] = ['always', 'daily', 'weekly'];

function DayRow({
  id,
  label,
  periods,
  problems,
  keepOne,
  onChange,
}: {
  /** Also the prefix of the problem keys: `daily` or `weekly.3`. */
  id: string;
  label: string;
  periods: readonly PeriodText[];
  problems: OnHoursProblems;
  /** In `daily` mode a day without periods would mean never on: the last period stays. */
  keepOne: boolean;
  onChange: (periods: PeriodText[]) => void;
}) {
  const { t } = useI18n();
  const o = t.devices.onHours;
  const domId = `hours-${id.replace('.', '-')}`;
  const set = (index: number, change: Partial<PeriodText>): void =>
    onChange(periods.map((p, i) => (i === index ? { ...p, ...change } : p)));
  return (
    <div class="day-row" role="group" aria-labelledby={`${domId}-label`} data-day={id}>
      <span class="day-label" id={`${domId}-label`}>
        {label}
      </span>
      <div class="day-periods">
        {periods.length === 0 && <span class="muted">{o.offDay}</span>}
        {periods.map((period, i) => {
          const fromKey = `${id}.${i}.from`;
          const toKey = `${id}.${i}.to`;
          const fromProblem = problems[fromKey];
          const toProblem = problems[toKey];
          const fromId = `${domId}-${i}-from`;
          const toId = `${domId}-${i}-to`;
          // One message per period, under both boxes: the first box's problem, else the second's.
          const errorId = `${domId}-${i}-error`;
          const problem = fromProblem ?? toProblem;
          return (
            <div class="period" key={i}>
              <div class="period-inputs">
                <input
                  id={fromId}
                  class="clock-input"
                  value={period.from}
                  placeholder="HH:MM"
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={5}
                  aria-label={o.from(label, i + 1)}
                  aria-invalid={fromProblem !== undefined}
                  aria-describedby={fromProblem ? errorId : undefined}
                  onInput={(e) => set(i, { from: e.currentTarget.value })}
                />
                <span aria-hidden="true">{o.until}</span>
                <input
                  id={toId}
                  class="clock-input"
                  value={period.to}
                  placeholder="HH:MM"
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={5}
                  aria-label={o.to(label, i + 1)}
                  aria-invalid={toProblem !== undefined}
                  aria-describedby={toProblem ? errorId : undefined}
                  onInput={(e) => set(i, { to: e.currentTarget.value })}
                />
                {!(keepOne && periods.length === 1) && (
                  <button
                    type="button"
                    class="link-button"
                    aria-label={o.removeLabel(label, i + 1)}
                    onClick={() => onChange(periods.filter((_, j) => j !== i))}
                  >
                    {o.remove}
                  </button>
                )}
              </div>
              <FieldError id={errorId} message={problem ? o.problems[problem] : null} />
            </div>
          );
        })}
        {periods.length < MAX_PERIODS_PER_DAY && (
          <button
            type="button"
            class="link-button"
            aria-label={o.addLabel(label)}
            onClick={() => onChange([...periods, periods.length === 0 ? { ...DEFAULT_PERIOD } : { from: '', to: '' }])}
          >
            {o.add}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * 开机时段: always on, the same hours every day, or hours per weekday, typed as
 * HH:MM. The parent turns the draft into minutes with `toOnHours`.
 */
export function OnHoursEditor({ draft, onChange, problems, error }: OnHoursEditorProps) {
  const { t } = useI18n();
  const o = t.devices.onHours;
  return (
    <FieldSet
      id="on-hours"
      class={`on-hours on-hours-${draft.mode}`}
      legend={o.legend}
      hint={o.hint}
      error={error}
      after={
        <>
          {draft.mode === 'daily' && (
            <DayRow
              id="daily"
              label={o.everyDay}
              periods={draft.daily}
              problems={problems}
              keepOne
              onChange={(daily) => onChange({ ...draft, daily })}
            />
          )}
          {draft.mode === 'weekly' &&
            o.weekdays.map((day, d) => (
              <DayRow
                key={day}
                id={`weekly.${d}`}
                label={day}
                periods={draft.weekly[d] ?? []}
                problems={problems}
                keepOne={false}
                onChange={(periods) => onChange({ ...draft, weekly: draft.weekly.map((p, i) => (i === d ? periods : p)) })}
              />
            ))}
        </>
      }
    >
      <div class="choices">
        {MODES.map((mode) => (
          <label class="choice" key={mode}>
            <input type="radio" name="on-hours-mode" checked={draft.mode === mode} onChange={() => onChange(switchMode(draft, mode))} />
            {o[mode]}
          </label>
        ))}
      </div>
    </FieldSet>
  );
}
