/**
 * The schedules 2004–2023 come from the npm package chinese-days (issue 14).
 * Checked three ways: the generated table is what the script makes of the
 * package's data (a copy in fixtures/); the package agrees with the
 * hand-checked State Council notices for 2024–2026 in holidays.ts; and years
 * checked by hand against their notices are spelled out here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHolidayCalendar } from '../../controller/protocol/calendar.js';
import { HOLIDAY_SCHEDULES } from '../../controller/protocol/holidays.js';
import { PAST_HOLIDAY_SCHEDULES } from '../../controller/protocol/holidaysPast.js';
import { type ChineseDaysData, schedulesFrom } from '../../controller/tools/holidaysFromChineseDays.js';

const data = JSON.parse(readFileSync(new URL('./fixtures/chinese-days-1.5.7.json', import.meta.url), 'utf8')) as ChineseDaysData;

const expand = (first: string, last: string): string[] => {
  const days: string[] = [];
  for (let d = first; d <= last; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) days.push(d);
  return days;
};

describe('holiday schedules from chinese-days', () => {
  it('are exactly what the script makes of the package data', () => {
    expect(PAST_HOLIDAY_SCHEDULES).toEqual(schedulesFrom(data, '1.5.7'));
    expect(PAST_HOLIDAY_SCHEDULES.map((s) => s.year)).toEqual(Array.from({ length: 20 }, (_, i) => 2004 + i));
  });

  it('the package agrees with the State Council notices for 2024–2026, day for day', () => {
    for (const schedule of HOLIDAY_SCHEDULES) {
      const inYear = (d: string) => d.startsWith(`${schedule.year}-`);
      const ours = schedule.holidays.flatMap(([, first, last]) => expand(first, last)).filter(inYear);
      const theirs = Object.keys(data.holidays).filter(inYear).sort();
      // The notices name only the weekday of a holiday joined to a weekend ("与周末连休"); the package lists the weekend too.
      const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
      expect(theirs.filter(weekday), `${schedule.year} days off`).toEqual(ours.filter(weekday));
      expect(Object.keys(data.workdays).filter(inYear).sort(), `${schedule.year} 调休`).toEqual([...schedule.workdays]);
    }
  });

  it('matches the notices checked by hand: 2008, 2019 and 2020', () => {
    const calendar = createHolidayCalendar();
    const off = (days: string[]) => days.map((d) => calendar.isWorkingDay(d));
    // 国办发明电〔2007〕12号: 国庆 9-29..10-5, worked Sat 9-27 and Sun 9-28; 劳动节 5-1..5-3, worked Sun 5-4.
    expect(off(['2008-09-27', '2008-09-28', '2008-09-29', '2008-10-05', '2008-10-06', '2008-05-04'])).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
    // 国办发明电〔2018〕15号 and the 2019-03-22 change: 劳动节 5-1..5-4, worked Sun 4-28 and Sun 5-5; 国庆 worked Sun 9-29, Sat 10-12.
    expect(off(['2019-04-28', '2019-05-04', '2019-05-05', '2019-09-29', '2019-10-07', '2019-10-12'])).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
    // 国办发明电〔2020〕1号 extended 春节 2020 to 2-2; 国庆中秋 10-1..10-8, worked Sun 9-27, Sat 10-10.
    expect(off(['2020-01-31', '2020-02-01', '2020-02-03', '2020-09-27', '2020-10-08', '2020-10-10'])).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it('every 调休 day is a weekend day, and every year keeps the days the law fixes', () => {
    for (const s of PAST_HOLIDAY_SCHEDULES) {
      for (const d of s.workdays) expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
      const days = new Set(s.holidays.flatMap(([, first, last]) => expand(first, last)));
      for (const fixed of ['01-01', '05-01', '10-01', '10-02', '10-03'])
        expect(days.has(`${s.year}-${fixed}`), `${s.year}-${fixed}`).toBe(true);
    }
  });
});
