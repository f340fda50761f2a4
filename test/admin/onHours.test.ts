import { describe, expect, it } from 'vitest';
import { type OnHoursDraft, draftOf, formatClock, parseClock, switchMode, toOnHours, uniformHours } from '../../admin/lib/onHours';

const every = (periods: [number, number][]): [number, number][][] => Array.from({ length: 7 }, () => periods);

describe('HH:MM ↔ minutes', () => {
  it('reads times with one or two hour digits, a full-width colon, and 24:00 as the end of the day', () => {
    expect(parseClock('07:30')).toBe(450);
    expect(parseClock('7:30')).toBe(450);
    expect(parseClock(' 00:00 ')).toBe(0);
    expect(parseClock('21：15')).toBe(1275);
    expect(parseClock('24:00')).toBe(1440);
  });

  it('refuses what is not a time of day', () => {
    for (const text of ['', '7', '730', '7.30', '07:60', '24:01', '25:00', '-1:00', '07:3', 'ab:cd']) expect(parseClock(text)).toBeNull();
  });

  it('writes minutes back as HH:MM, round trip for every minute of the day', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(450)).toBe('07:30');
    expect(formatClock(1440)).toBe('24:00');
    for (let m = 0; m <= 1440; m += 1) expect(parseClock(formatClock(m))).toBe(m);
  });
});

describe('drafts from stored hours', () => {
  it('null is always on', () => {
    expect(draftOf(null).mode).toBe('always');
    expect(toOnHours(draftOf(null))).toEqual({ ok: true, value: null });
  });

  it('the same hours every day open in daily mode; different days in weekly mode; both round-trip', () => {
    const same = {
      utcOffsetMinutes: 480,
      weekly: every([
        [420, 720],
        [780, 1260],
      ]),
    };
    const daily = draftOf(same);
    expect(daily.mode).toBe('daily');
    expect(daily.daily).toEqual([
      { from: '07:00', to: '12:00' },
      { from: '13:00', to: '21:00' },
    ]);
    expect(toOnHours(daily)).toEqual({ ok: true, value: same });

    const weekend: [number, number][][] = [...every([[480, 1080]]).slice(0, 5), [], [[540, 1440]]];
    const varied = { utcOffsetMinutes: 480, weekly: weekend };
    const weekly = draftOf(varied);
    expect(weekly.mode).toBe('weekly');
    expect(weekly.weekly[5]).toEqual([]);
    expect(weekly.weekly[6]).toEqual([{ from: '09:00', to: '24:00' }]);
    expect(toOnHours(weekly)).toEqual({ ok: true, value: varied });
    expect(uniformHours(same)).toBe('07:00–12:00、13:00–21:00');
    expect(uniformHours(varied)).toBeNull();
  });

  it('switching from daily to weekly starts every weekday with the daily hours', () => {
    const draft: OnHoursDraft = { ...draftOf(null), mode: 'daily', daily: [{ from: '06:30', to: '22:00' }] };
    const weekly = switchMode(draft, 'weekly');
    expect(weekly.weekly).toHaveLength(7);
    expect(weekly.weekly.every((day) => day.length === 1 && day[0]?.from === '06:30')).toBe(true);
    expect(switchMode(weekly, 'always').mode).toBe('always');
  });
});

describe('validation', () => {
  const daily = (periods: { from: string; to: string }[]): OnHoursDraft => ({ ...draftOf(null), mode: 'daily', daily: periods });

  it('names the box that is not a time', () => {
    expect(toOnHours(daily([{ from: '7点', to: '20:00' }]))).toEqual({ ok: false, problems: { 'daily.0.from': 'format' } });
  });

  it('ignores a row left blank, but not a half-filled one', () => {
    const blank = toOnHours(
      daily([
        { from: '07:00', to: '21:00' },
        { from: ' ', to: '' },
      ]),
    );
    expect(blank.ok && blank.value?.weekly[3]).toEqual([[420, 1260]]);
    expect(toOnHours(daily([{ from: '', to: '20:00' }]))).toEqual({ ok: false, problems: { 'daily.0.from': 'format' } });
  });

  it('refuses a period that ends before it starts, on the end box', () => {
    expect(toOnHours(daily([{ from: '20:00', to: '07:00' }]))).toEqual({ ok: false, problems: { 'daily.0.to': 'order' } });
    expect(toOnHours(daily([{ from: '08:00', to: '08:00' }]))).toEqual({ ok: false, problems: { 'daily.0.to': 'order' } });
  });

  it('refuses overlapping periods but lets them touch, and sorts them', () => {
    expect(
      toOnHours(
        daily([
          { from: '08:00', to: '12:00' },
          { from: '11:00', to: '14:00' },
        ]),
      ),
    ).toEqual({ ok: false, problems: { 'daily.1.from': 'overlap' } });
    const touching = toOnHours(
      daily([
        { from: '12:00', to: '18:00' },
        { from: '08:00', to: '12:00' },
      ]),
    );
    expect(touching.ok && touching.value?.weekly[0]).toEqual([
      [480, 720],
      [720, 1080],
    ]);
  });

  it('keys weekly problems by weekday and period; an empty weekday is off all day', () => {
    const draft: OnHoursDraft = { ...draftOf(null), mode: 'weekly' };
    draft.weekly = draft.weekly.map((day, i) => (i === 2 ? [{ from: '08:00', to: '25:00' }] : i === 6 ? [] : day));
    expect(toOnHours(draft)).toEqual({ ok: false, problems: { 'weekly.2.0.to': 'format' } });
    draft.weekly[2] = [{ from: '08:00', to: '17:30' }];
    const result = toOnHours(draft);
    expect(result.ok && result.value?.weekly[2]).toEqual([[480, 1050]]);
    expect(result.ok && result.value?.weekly[6]).toEqual([]);
  });
});
