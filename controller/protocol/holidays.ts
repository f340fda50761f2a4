/**
 * The national holiday arrangements (放假调休安排) that the State Council
 * General Office (国务院办公厅) publishes each autumn for the following year,
 * as data for `createHolidayCalendar` in `calendar.ts`.
 *
 * Each year lists its days off exactly as the notice gives them (a range
 * includes the weekend days the notice counts in "共N天"), and its 调休
 * make-up working days, which always fall on a Saturday or Sunday. Dates are
 * civil dates in China Standard Time. A notice may reach into the neighbouring
 * year (the 2023 元旦 break began on 2022-12-31), so every date is written in
 * full.
 *
 * Adding a year: copy the notice's items one for one, cite it, and extend the
 * totals checked in `test/protocol/calendar.test.ts`. Until a software update
 * ships, a town can enter the new year in its settings instead (the `extra`
 * overrides of `createHolidayCalendar`).
 *
 * The 2027 notice was not confirmed when this table was written (2026-11),
 * so 2027 is left out and falls back to plain weekends.
 */

export interface HolidaySchedule {
  readonly year: number;
  /** The notice that fixes this year: 文号, date issued, gov.cn address. */
  readonly source: string;
  /** Days off as `[name, first, last]`, both ends included, in date order. */
  readonly holidays: readonly (readonly [name: string, first: string, last: string])[];
  /** 调休 make-up working days (weekend days worked instead), in date order. */
  readonly workdays: readonly string[];
}

export const HOLIDAY_SCHEDULES: readonly HolidaySchedule[] = [
  {
    year: 2024,
    source: '国办发明电〔2023〕7号, 2023-10-25, https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
    holidays: [
      // "1月1日放假，与周末连休": only Monday 1 January is named.
      ['元旦', '2024-01-01', '2024-01-01'],
      ['春节', '2024-02-10', '2024-02-17'],
      ['清明节', '2024-04-04', '2024-04-06'],
      ['劳动节', '2024-05-01', '2024-05-05'],
      // "6月10日放假，与周末连休": only Monday 10 June is named.
      ['端午节', '2024-06-10', '2024-06-10'],
      ['中秋节', '2024-09-15', '2024-09-17'],
      ['国庆节', '2024-10-01', '2024-10-07'],
    ],
    workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  {
    year: 2025,
    source: '国办发明电〔2024〕12号, 2024-11-12, https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    holidays: [
      // First year under the 2024 revision of 《全国年节及纪念日放假办法》:
      // 春节 and 劳动节 gain a day each; a holiday on a Wednesday is that day only.
      ['元旦', '2025-01-01', '2025-01-01'],
      ['春节', '2025-01-28', '2025-02-04'],
      ['清明节', '2025-04-04', '2025-04-06'],
      ['劳动节', '2025-05-01', '2025-05-05'],
      ['端午节', '2025-05-31', '2025-06-02'],
      ['国庆节、中秋节', '2025-10-01', '2025-10-08'],
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国办发明电〔2025〕7号, 2025-11-04, https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    holidays: [
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
