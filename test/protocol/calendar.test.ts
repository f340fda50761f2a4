/**
 * Expected values are worked out by hand from the State Council notices
 * (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), never by calling the code
 * under test. Weekdays: 2025-01-01 is a Wednesday, 2026-01-01 a Thursday,
 * 2027-01-01 a Friday.
 */
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  civilDateOf,
  countWorkingDays,
  createHolidayCalendar,
  deadlineStatus,
  disclosureDeadline,
  isCivilDate,
  postingWindow,
  startOfCivilDay,
  unknownYears,
} from '../../controller/protocol/calendar.js';
import { HOLIDAY_SCHEDULES } from '../../controller/protocol/holidays.js';

const calendar = createHolidayCalendar();
const working = (dates: string[]) => dates.map((d) => calendar.isWorkingDay(d));

describe('the holiday table', () => {
  // "共N天" per holiday, and the number of 调休 working days, as each notice states them.
  const notices: Record<number, { days: Record<string, number>; workdays: number }> = {
    2024: { days: { 元旦: 1, 春节: 8, 清明节: 3, 劳动节: 5, 端午节: 1, 中秋节: 3, 国庆节: 7 }, workdays: 8 },
    2025: { days: { 元旦: 1, 春节: 8, 清明节: 3, 劳动节: 5, 端午节: 3, '国庆节、中秋节': 8 }, workdays: 5 },
    2026: { days: { 元旦: 3, 春节: 9, 清明节: 3, 劳动节: 5, 端午节: 3, 中秋节: 3, 国庆节: 7 }, workdays: 6 },
  };

  it('covers 2024 through 2026, each year citing its notice', () => {
    expect(HOLIDAY_SCHEDULES.map((s) => s.year)).toEqual([2024, 2025, 2026]);
    for (const s of HOLIDAY_SCHEDULES) expect(s.source).toMatch(/^国办发明电〔\d{4}〕\d+号/);
  });

  it('has the length of every break and the count of 调休 days the notices give', () => {
    for (const s of HOLIDAY_SCHEDULES) {
      const days = Object.fromEntries(s.holidays.map(([name, first, last]) => [name, (Date.parse(last) - Date.parse(first)) / 864e5 + 1]));
      expect(days, String(s.year)).toEqual(notices[s.year]!.days);
      expect(s.workdays, String(s.year)).toHaveLength(notices[s.year]!.workdays);
    }
  });

  it('puts every 调休 working day on a weekend and outside every break', () => {
    for (const s of HOLIDAY_SCHEDULES) {
      for (const day of s.workdays) {
        expect([0, 6], day).toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
        for (const [, first, last] of s.holidays) expect(day < first || day > last, day).toBe(true);
      }
    }
  });
});

describe('createHolidayCalendar', () => {
  it('2025: National Day and Mid-Autumn together, 10-01..10-08 off, Sun 9-28 and Sat 10-11 worked', () => {
    expect(working(['2025-09-27', '2025-09-28', '2025-09-30'])).toEqual([false, true, true]);
    expect(working(['2025-10-01', '2025-10-04', '2025-10-06', '2025-10-08'])).toEqual([false, false, false, false]);
    // Thu 10-09 and Fri 10-10 ordinary; Sat 10-11 调休; Sun 10-12 an ordinary weekend.
    expect(working(['2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'])).toEqual([true, true, true, false]);
    expect(calendar.holidayName('2025-10-06')).toBe('国庆节、中秋节');
    expect(calendar.holidayName('2025-09-28')).toBeNull();
  });

  it('2026: Spring Festival 2-15..2-23 off, Sat 2-14 and Sat 2-28 worked', () => {
    expect(working(['2026-02-13', '2026-02-14', '2026-02-15', '2026-02-17', '2026-02-23', '2026-02-24'])).toEqual([
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(working(['2026-02-28', '2026-03-01'])).toEqual([true, false]);
    expect(calendar.holidayName('2026-02-17')).toBe('春节');
    expect(calendar.holidayName('2026-02-14')).toBeNull();
  });

  it('2026: Mid-Autumn 9-25..9-27 and National Day 10-01..10-07 off, Sun 9-20 and Sat 10-10 worked', () => {
    expect(working(['2026-09-19', '2026-09-20', '2026-09-25', '2026-09-28'])).toEqual([false, true, false, true]);
    expect(working(['2026-09-30', '2026-10-01', '2026-10-07', '2026-10-08', '2026-10-10', '2026-10-11'])).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(calendar.holidayName('2026-09-26')).toBe('中秋节');
    expect(calendar.holidayName('2026-10-07')).toBe('国庆节');
  });

  it('names only the days a notice lists: the weekend next to 2024 端午 (Mon 6-10) is just a weekend', () => {
    expect(calendar.holidayName('2024-06-10')).toBe('端午节');
    expect(calendar.holidayName('2024-06-09')).toBeNull();
    expect(calendar.isWorkingDay('2024-06-09')).toBe(false);
  });

  it('keeps the holidays fixed by law in a year no notice covers, counts Monday–Friday otherwise, and says so', () => {
    expect(calendar.covers('2026-12-31')).toBe(true);
    expect(calendar.covers('2027-01-01')).toBe(false);
    expect(calendar.covers('2023-06-01')).toBe(true); // from the chinese-days table
    expect(calendar.covers('2003-06-01')).toBe(false);
    // 元旦, 劳动节 (1–2 May from 2025) and 国庆节 1–3 October, whatever the notice adds.
    expect(working(['2027-01-01', '2027-03-01', '2027-05-03', '2027-05-04', '2027-10-01', '2027-10-04'])).toEqual([
      false,
      true,
      true, // Mon 3 May: only 1–2 May (Sat, Sun) are fixed; the 调休 is unknown
      true,
      false,
      true,
    ]);
    expect(calendar.holidayName('2027-05-02')).toBe('劳动节');
    expect(calendar.holidayName('2027-10-03')).toBe('国庆节');
    expect(calendar.holidayName('2027-10-04')).toBeNull();
    expect(unknownYears(calendar, '2026-12-28', '2028-01-06')).toEqual([2027, 2028]);
  });

  it('counts the issue’s two 公示 right, across a year no notice covers yet and in a year from chinese-days', () => {
    // 2026-12-28 (Mon) + 7 working days: 12-28..12-31, 1-1 元旦 off by law, 1-4..1-6.
    expect(postingWindow(calendar, { kind: 'working_days', days: 7 }, '2026-12-28').end).toBe('2027-01-06');
    // 2019-09-30 (Mon): 国庆 10-1..10-7 off, Sat 10-12 worked (国办发明电〔2018〕15号).
    expect(postingWindow(calendar, { kind: 'working_days', days: 7 }, '2019-09-30').end).toBe('2019-10-14');
  });

  it('applies a town’s overrides over the table', () => {
    const town = createHolidayCalendar({ holidays: ['2027-02-08', '2026-03-02'], workdays: ['2027-02-20', '2026-10-07'] });
    expect(town.isWorkingDay('2027-02-08')).toBe(false); // a Monday
    expect(town.holidayName('2027-02-08')).toBe('放假');
    expect(town.isWorkingDay('2027-02-20')).toBe(true); // a Saturday
    expect(town.isWorkingDay('2026-03-02')).toBe(false);
    expect(town.isWorkingDay('2026-10-07')).toBe(true);
    expect(town.holidayName('2026-10-07')).toBeNull();
    // The town entered days of 2027: its own schedule covers the year.
    expect(town.covers('2027-02-08')).toBe(true);
    expect(createHolidayCalendar({ holidays: ['2028-02-08'] }).covers('2028-12-01')).toBe(true);
    expect(town.covers('2028-06-01')).toBe(false);
    expect(createHolidayCalendar({ holidays: ['2027-02-08'], years: [2027] }).covers('2027-06-01')).toBe(true);
    // The default calendar is untouched.
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
  });

  it('rejects broken overrides and dates', () => {
    expect(() => createHolidayCalendar({ holidays: ['2027-02-08'], workdays: ['2027-02-08'] })).toThrow(RangeError);
    expect(() => createHolidayCalendar({ holidays: ['2027-2-8'] })).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026-02-29')).toThrow(RangeError);
  });
});

describe('civil dates in China Standard Time', () => {
  it('civilDateOf turns over at midnight Beijing time, 16:00 UTC', () => {
    expect(civilDateOf(Date.parse('2026-11-30T15:59:00Z'))).toBe('2026-11-30'); // 23:59 Beijing
    expect(civilDateOf(Date.parse('2026-11-30T16:01:00Z'))).toBe('2026-12-01'); // 00:01 Beijing
    expect(civilDateOf(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(civilDateOf(Date.parse('2026-06-01T00:30:00Z'))).toBe('2026-06-01'); // 08:30 Beijing
  });

  it('startOfCivilDay is 16:00 UTC the day before', () => {
    expect(startOfCivilDay('2026-12-01')).toBe(Date.parse('2026-11-30T16:00:00Z'));
    expect(startOfCivilDay('2027-01-01')).toBe(Date.parse('2026-12-31T16:00:00Z'));
  });

  it('addCalendarDays crosses month, leap-day and year ends, both ways', () => {
    expect(addCalendarDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addCalendarDays('2026-05-05', 0)).toBe('2026-05-05');
  });

  it('isCivilDate accepts only real YYYY-MM-DD days', () => {
    expect(['2024-02-29', '2026-12-31'].map(isCivilDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', '20260101', 20260101, null].map(isCivilDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('addWorkingDays and countWorkingDays', () => {
  it('5 working days from the Friday before 国庆 2025: Sun 9-28, Mon 9-29, Tue 9-30, Thu 10-09, Fri 10-10', () => {
    expect(addWorkingDays(calendar, '2025-09-26', 5)).toBe('2025-10-10');
    expect(countWorkingDays(calendar, '2025-09-26', '2025-10-10')).toBe(5);
  });

  it('5 working days from Fri 2026-09-18: Sun 9-20 (调休) .. Thu 9-24, before 中秋', () => {
    expect(addWorkingDays(calendar, '2026-09-18', 5)).toBe('2026-09-24');
  });

  it('5 working days from Wed 2026-09-30: Thu 10-08, Fri 10-09, Sat 10-10, Mon 10-12, Tue 10-13', () => {
    expect(addWorkingDays(calendar, '2026-09-30', 5)).toBe('2026-10-13');
  });

  it('0 working days is the day itself, even a holiday; negative or fractional counts are refused', () => {
    expect(addWorkingDays(calendar, '2026-10-03', 0)).toBe('2026-10-03');
    expect(() => addWorkingDays(calendar, '2026-10-03', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, '2026-10-03', 1.5)).toThrow(RangeError);
  });
});

describe('postingWindow', () => {
  it('7 working days put up on 国庆 2026-10-01 count from Thu 10-08 and end Thu 10-15', () => {
    // 10-08, 10-09, Sat 10-10 (调休), 10-12, 10-13, 10-14, 10-15.
    expect(postingWindow(calendar, { kind: 'working_days', days: 7 }, '2026-10-01')).toEqual({
      start: '2026-10-01',
      end: '2026-10-15',
      startsAt: Date.parse('2026-09-30T16:00:00Z'),
      endsAt: Date.parse('2026-10-15T16:00:00Z'),
    });
  });

  it('7 working days from Thu 2026-02-12 count the start day and skip 春节', () => {
    // 2-12, 2-13, Sat 2-14 (调休), then 2-24, 2-25, 2-26, Fri 2-27.
    expect(postingWindow(calendar, { kind: 'working_days', days: 7 }, '2026-02-12').end).toBe('2026-02-27');
    expect(postingWindow(calendar, { kind: 'working_days', days: 1 }, '2026-02-12').end).toBe('2026-02-12');
  });

  it('calendar days: N days end on start + N − 1, across month and year ends', () => {
    expect(postingWindow(calendar, { kind: 'calendar_days', days: 7 }, '2026-02-25').end).toBe('2026-03-03');
    expect(postingWindow(calendar, { kind: 'calendar_days', days: 7 }, '2028-02-25').end).toBe('2028-03-02');
    expect(postingWindow(calendar, { kind: 'calendar_days', days: 7 }, '2026-12-28')).toEqual({
      start: '2026-12-28',
      end: '2027-01-03',
      startsAt: Date.parse('2026-12-27T16:00:00Z'),
      endsAt: Date.parse('2027-01-03T16:00:00Z'),
    });
    expect(postingWindow(calendar, { kind: 'calendar_days', days: 1 }, '2026-10-01').endsAt).toBe(Date.parse('2026-10-01T16:00:00Z'));
  });

  it('long_term has no end', () => {
    expect(postingWindow(calendar, { kind: 'long_term' }, '2026-03-01')).toEqual({
      start: '2026-03-01',
      end: null,
      startsAt: Date.parse('2026-02-28T16:00:00Z'),
      endsAt: null,
    });
  });

  it('until ends at the end of the given day, which may not precede the start', () => {
    expect(postingWindow(calendar, { kind: 'until', end: '2026-03-31' }, '2026-03-01').endsAt).toBe(Date.parse('2026-03-31T16:00:00Z'));
    expect(postingWindow(calendar, { kind: 'until', end: '2026-03-01' }, '2026-03-01').end).toBe('2026-03-01');
    expect(() => postingWindow(calendar, { kind: 'until', end: '2026-02-28' }, '2026-03-01')).toThrow(RangeError);
  });

  it('refuses a period of less than one day', () => {
    expect(() => postingWindow(calendar, { kind: 'calendar_days', days: 0 }, '2026-03-01')).toThrow(RangeError);
    expect(() => postingWindow(calendar, { kind: 'working_days', days: 0 }, '2026-03-01')).toThrow(RangeError);
  });
});

describe('disclosureDeadline (条例 Art. 26: 20 working days)', () => {
  it('crosses the 2026 Spring Festival', () => {
    // After Mon 2-02: 2-03..2-06 (4), 2-09..2-13 (9), Sat 2-14 (10), break 2-15..2-23,
    // 2-24..2-27 (14), Sat 2-28 (15), 3-02..3-06 (20).
    expect(disclosureDeadline(calendar, '2026-02-02')).toBe('2026-03-06');
  });

  it('crosses the 2025 Spring Festival', () => {
    // After Mon 1-20: 1-21..1-24 (4), Sun 1-26 (5), Mon 1-27 (6), break 1-28..2-04,
    // 2-05..2-07 (9), Sat 2-08 (10), 2-10..2-14 (15), 2-17..2-21 (20).
    expect(disclosureDeadline(calendar, '2025-01-20')).toBe('2025-02-21');
  });
});

describe('deadlineStatus', () => {
  // Formed Mon 2026-02-02, deadline Fri 2026-03-06 (above).
  const status = (today: string, within?: number) => deadlineStatus(calendar, '2026-02-02', today, within);

  it('is ok with more than 3 working days left', () => {
    expect(status('2026-02-02')).toEqual({ deadline: '2026-03-06', workingDaysLeft: 20, state: 'ok' });
    // Sat 2-28 is a 调休 working day; from Sun 3-01 five remain: 3-02..3-06.
    expect(status('2026-03-01')).toEqual({ deadline: '2026-03-06', workingDaysLeft: 5, state: 'ok' });
    expect(status('2026-03-02').workingDaysLeft).toBe(4);
  });

  it('is due soon with 3 or fewer working days left, down to the deadline day', () => {
    expect(status('2026-03-03')).toEqual({ deadline: '2026-03-06', workingDaysLeft: 3, state: 'due_soon' });
    expect(status('2026-03-06')).toEqual({ deadline: '2026-03-06', workingDaysLeft: 0, state: 'due_soon' });
  });

  it('takes the due-soon threshold as a parameter', () => {
    expect(status('2026-03-02', 4).state).toBe('due_soon');
    expect(status('2026-03-03', 2).state).toBe('ok');
  });

  it('is overdue from the day after the deadline', () => {
    expect(status('2026-03-07')).toEqual({ deadline: '2026-03-06', workingDaysLeft: 0, state: 'overdue' });
    expect(status('2026-03-09')).toEqual({ deadline: '2026-03-06', workingDaysLeft: -1, state: 'overdue' });
    expect(status('2026-03-13').workingDaysLeft).toBe(-5);
  });
});
