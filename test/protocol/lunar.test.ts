/**
 * The lunar statutory holidays, computed from the calendar for years no State Council notice covers (issue 14):
 * checked against every year the notices do cover, where each computed day must fall inside the notice's break
 * of the same name, and used by the holiday calendar (marked as estimated) in a year without a notice.
 */
import { describe, expect, it } from 'vitest';
import { createHolidayCalendar, postingWindow, unknownYears } from '../../controller/protocol/calendar.js';
import { HOLIDAY_SCHEDULES } from '../../controller/protocol/holidays.js';
import { PAST_HOLIDAY_SCHEDULES } from '../../controller/protocol/holidaysPast.js';
import { lunarStatutoryHolidays, lunarToCivil, qingming } from '../../controller/protocol/lunar.js';

const schedules = [...PAST_HOLIDAY_SCHEDULES, ...HOLIDAY_SCHEDULES];

describe('the lunar statutory holidays against the State Council notices', () => {
  it('puts every computed day inside the notice’s break of that name, in every year the notices cover', () => {
    expect(schedules.length).toBeGreaterThanOrEqual(23);
    for (const schedule of schedules) {
      const computed = lunarStatutoryHolidays(schedule.year);
      // Before 2008 only 春节 moves with the moon; from 2008 清明, 端午 and 中秋 too.
      expect([...new Set(computed.values())].sort(), String(schedule.year)).toEqual(
        schedule.year < 2008 ? ['春节'] : ['中秋节', '春节', '清明节', '端午节'].sort(),
      );
      for (const [day, name] of computed) {
        // The generated years list a break without the weekend days the package leaves out (2012's 端午: 22 and 24 June).
        const breaks = schedule.holidays.filter(([n]) => n.includes(name.replace('节', '')));
        const from = breaks.map(([, first]) => first).sort()[0] ?? '';
        const to =
          breaks
            .map(([, , last]) => last)
            .sort()
            .at(-1) ?? '';
        expect(
          // 2020's 中秋 fell on 1 October, inside the break the notice calls 国庆节.
          (from <= day && day <= to) || schedule.holidays.some(([, first, last]) => first <= day && day <= last),
          `${schedule.year}: ${name} on ${day}, notice has ${JSON.stringify(breaks)}`,
        ).toBe(true);
      }
    }
  });

  it('gives each holiday the days the law gives it in that year', () => {
    const count = (year: number): number => [...lunarStatutoryHolidays(year).values()].filter((n) => n === '春节').length;
    expect([2007, 2008, 2013, 2014, 2024, 2025, 2027].map(count)).toEqual([3, 3, 3, 3, 3, 4, 4]);
    // 2008–2013: 除夕 to 初二; 2025 on: 除夕 to 初三.
    expect(lunarStatutoryHolidays(2012).get('2012-01-22')).toBe('春节'); // 除夕 2012
    expect(lunarStatutoryHolidays(2012).get('2012-01-25')).toBeUndefined(); // 初三 2012
    expect(lunarToCivil(2026, 1, 1)).toBe('2026-02-17');
    expect(lunarToCivil(2027, 1, 1)).toBe('2027-02-06');
    expect(lunarToCivil(2023, 8, 15)).toBe('2023-09-29');
    expect(lunarToCivil(2101, 1, 1)).toBeNull();
    expect(lunarStatutoryHolidays(2101).size).toBe(0);
    expect([2023, 2024, 2025, 2026, 2027, 2028].map(qingming)).toEqual([
      '2023-04-05',
      '2024-04-04',
      '2025-04-04',
      '2026-04-05',
      '2027-04-05',
      '2028-04-04',
    ]);
  });
});

describe('a year without a notice', () => {
  const calendar = createHolidayCalendar();

  it('keeps the lunar holidays off, names them, and still says the year is estimated', () => {
    const working = (days: string[]) => days.map((d) => calendar.isWorkingDay(d));
    // 2027: 除夕 Fri 5 Feb to 初三 Mon 8 Feb; 端午 Wed 9 Jun; 中秋 Wed 15 Sep.
    expect(working(['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-06-09', '2027-09-15', '2027-09-16'])).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(calendar.holidayName('2027-02-05')).toBe('春节');
    expect(calendar.holidayName('2027-04-05')).toBe('清明节');
    expect(calendar.covers('2027-02-05')).toBe(false);
    expect(unknownYears(calendar, '2027-02-01', '2027-02-28')).toEqual([2027]);
    // A 7-working-day 公示 from Mon 1 Feb 2027 skips 除夕 and 初三: it ends Thu 11 Feb, not Tue 9 Feb.
    expect(postingWindow(calendar, { kind: 'working_days', days: 7 }, '2027-02-01').end).toBe('2027-02-11');
  });

  it('lets a town’s own schedule for the year replace the estimate', () => {
    const town = createHolidayCalendar({ holidays: ['2027-02-10'], workdays: [], years: [2027] });
    expect(town.isWorkingDay('2027-02-05')).toBe(true);
    expect(town.isWorkingDay('2027-02-10')).toBe(false);
    expect(town.covers('2027-02-05')).toBe(true);
  });
});
