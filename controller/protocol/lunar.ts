/**
 * The Chinese lunisolar calendar, for the statutory holidays that move with it (春节, 端午节, 中秋节) and the
 * solar term 清明, so that a year without a State Council notice still has its holidays where the law puts them.
 *
 * Lunar months come from the table below: one entry per lunar year 1900–2100, the long-published data of the
 * Hong Kong Observatory's conversion tables (as the MIT-licensed npm package chinese-days 1.5.7 carries it in
 * src/solar_lunar/constants.ts, copied unchanged). Bits 4–15 say, for months 1 to 12, whether the month has
 * 30 days (1) or 29 (0); bits 0–3 give the leap month (0: none); bit 16 the leap month's length. Lunar year 1900
 * began on 1900-01-31. 清明 is computed: the day (China Standard Time) the Sun's apparent longitude reaches 15°
 * (Meeus, Astronomical Algorithms, ch. 25).
 */
/** `YYYY-MM-DD` (calendar.ts's CivilDate; not imported, as calendar.ts imports this file). */
type CivilDate = string;

const addCalendarDays = (date: CivilDate, n: number): CivilDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// prettier-ignore
const LUNAR_INFO: readonly number[] = [
  0x04bd8, 0x04ae0, 0x0a570, 0x054d5, 0x0d260, 0x0d950, 0x16554, 0x056a0, 0x09ad0, 0x055d2, // 1900
  0x04ae0, 0x0a5b6, 0x0a4d0, 0x0d250, 0x1d255, 0x0b540, 0x0d6a0, 0x0ada2, 0x095b0, 0x14977, // 1910
  0x04970, 0x0a4b0, 0x0b4b5, 0x06a50, 0x06d40, 0x1ab54, 0x02b60, 0x09570, 0x052f2, 0x04970, // 1920
  0x06566, 0x0d4a0, 0x0ea50, 0x06e95, 0x05ad0, 0x02b60, 0x186e3, 0x092e0, 0x1c8d7, 0x0c950, // 1930
  0x0d4a0, 0x1d8a6, 0x0b550, 0x056a0, 0x1a5b4, 0x025d0, 0x092d0, 0x0d2b2, 0x0a950, 0x0b557, // 1940
  0x06ca0, 0x0b550, 0x15355, 0x04da0, 0x0a5b0, 0x14573, 0x052b0, 0x0a9a8, 0x0e950, 0x06aa0, // 1950
  0x0aea6, 0x0ab50, 0x04b60, 0x0aae4, 0x0a570, 0x05260, 0x0f263, 0x0d950, 0x05b57, 0x056a0, // 1960
  0x096d0, 0x04dd5, 0x04ad0, 0x0a4d0, 0x0d4d4, 0x0d250, 0x0d558, 0x0b540, 0x0b6a0, 0x195a6, // 1970
  0x095b0, 0x049b0, 0x0a974, 0x0a4b0, 0x0b27a, 0x06a50, 0x06d40, 0x0af46, 0x0ab60, 0x09570, // 1980
  0x04af5, 0x04970, 0x064b0, 0x074a3, 0x0ea50, 0x06b58, 0x055c0, 0x0ab60, 0x096d5, 0x092e0, // 1990
  0x0c960, 0x0d954, 0x0d4a0, 0x0da50, 0x07552, 0x056a0, 0x0abb7, 0x025d0, 0x092d0, 0x0cab5, // 2000
  0x0a950, 0x0b4a0, 0x0baa4, 0x0ad50, 0x055d9, 0x04ba0, 0x0a5b0, 0x15176, 0x052b0, 0x0a930, // 2010
  0x07954, 0x06aa0, 0x0ad50, 0x05b52, 0x04b60, 0x0a6e6, 0x0a4e0, 0x0d260, 0x0ea65, 0x0d530, // 2020
  0x05aa0, 0x076a3, 0x096d0, 0x04afb, 0x04ad0, 0x0a4d0, 0x1d0b6, 0x0d250, 0x0d520, 0x0dd45, // 2030
  0x0b5a0, 0x056d0, 0x055b2, 0x049b0, 0x0a577, 0x0a4b0, 0x0aa50, 0x1b255, 0x06d20, 0x0ada0, // 2040
  0x14b63, 0x09370, 0x049f8, 0x04970, 0x064b0, 0x168a6, 0x0ea50, 0x06b20, 0x1a6c4, 0x0aae0, // 2050
  0x0a2e0, 0x0d2e3, 0x0c960, 0x0d557, 0x0d4a0, 0x0da50, 0x05d55, 0x056a0, 0x0a6d0, 0x055d4, // 2060
  0x052d0, 0x0a9b8, 0x0a950, 0x0b4a0, 0x0b6a6, 0x0ad50, 0x055a0, 0x0aba4, 0x0a5b0, 0x052b0, // 2070
  0x0b273, 0x06930, 0x07337, 0x06aa0, 0x0ad50, 0x14b55, 0x04b60, 0x0a570, 0x054e4, 0x0d160, // 2080
  0x0e968, 0x0d520, 0x0daa0, 0x16aa6, 0x056d0, 0x04ae0, 0x0a9d4, 0x0a2d0, 0x0d150, 0x0f252, // 2090
  0x0d520, // 2100
];

export const FIRST_LUNAR_YEAR = 1900;
export const LAST_LUNAR_YEAR = 2100;
const LUNAR_EPOCH: CivilDate = '1900-01-31';

const info = (year: number): number => LUNAR_INFO[year - FIRST_LUNAR_YEAR] ?? 0;
const leapMonth = (year: number): number => info(year) & 0xf;
const leapDays = (year: number): number => (leapMonth(year) === 0 ? 0 : info(year) & 0x10000 ? 30 : 29);
const monthDays = (year: number, month: number): number => (info(year) & (0x10000 >> month) ? 30 : 29);

function yearDays(year: number): number {
  let days = leapDays(year);
  for (let month = 1; month <= 12; month++) days += monthDays(year, month);
  return days;
}

/** Days from 1900-01-31 to the first day of each lunar year, filled once. */
const yearStarts: number[] = [];
function daysToYear(year: number): number {
  if (yearStarts.length === 0) {
    let days = 0;
    for (let y = FIRST_LUNAR_YEAR; y <= LAST_LUNAR_YEAR + 1; y++) {
      yearStarts.push(days);
      if (y <= LAST_LUNAR_YEAR) days += yearDays(y);
    }
  }
  return yearStarts[year - FIRST_LUNAR_YEAR] ?? 0;
}

/**
 * The civil date of day `day` of (non-leap) month `month` of lunar year `year`, or null outside 1900–2100.
 *
 * @example
 * lunarToCivil(2026, 1, 1); // '2026-02-17' (春节)
 * lunarToCivil(2026, 8, 15); // '2026-09-25' (中秋节)
 */
export function lunarToCivil(year: number, month: number, day: number): CivilDate | null {
  if (!Number.isInteger(year) || year < FIRST_LUNAR_YEAR || year > LAST_LUNAR_YEAR) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > monthDays(year, month)) return null;
  let offset = daysToYear(year);
  for (let m = 1; m < month; m++) offset += monthDays(year, m);
  // The leap month follows the month it repeats.
  const leap = leapMonth(year);
  if (leap !== 0 && leap < month) offset += leapDays(year);
  return addCalendarDays(LUNAR_EPOCH, offset + day - 1);
}

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** The Sun's apparent ecliptic longitude in degrees at Julian Ephemeris Day `jde` (Meeus ch. 25, ±0.01°). */
function sunLongitude(jde: number): number {
  const t = (jde - 2451545) / 36525;
  const l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
  const c =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.sin(rad(m)) +
    (0.019993 - 0.000101 * t) * Math.sin(rad(2 * m)) +
    0.000289 * Math.sin(rad(3 * m));
  const omega = 125.04 - 1934.136 * t;
  const apparent = l0 + c - 0.00569 - 0.00478 * Math.sin(rad(omega));
  return ((apparent % 360) + 360) % 360;
}

/** ΔT (TT − UT) in days: about a minute in this era; its error is small beside the longitude's. */
const DELTA_T_DAYS = 65 / 86_400;
const UNIX_EPOCH_JD = 2440587.5;

/**
 * The civil date (China Standard Time) of the solar term 清明: the day the Sun's apparent longitude reaches 15°.
 *
 * @example
 * qingming(2026); // '2026-04-05'
 */
export function qingming(year: number): CivilDate {
  // Start from 4 April noon UTC and step by the Sun's mean motion.
  let jd = UNIX_EPOCH_JD + Date.UTC(year, 3, 4, 12) / 86_400_000;
  for (let i = 0; i < 6; i++) {
    const diff = ((15 - sunLongitude(jd + DELTA_T_DAYS) + 540) % 360) - 180;
    jd += diff / 0.98564736;
  }
  const chinaMs = (jd - UNIX_EPOCH_JD) * 86_400_000 + 8 * 3_600_000;
  return new Date(chinaMs).toISOString().slice(0, 10);
}

/**
 * The days 《全国年节及纪念日放假办法》 gives each lunar holiday in `year` (1900–2100; none outside): 春节
 * (初一–初三 until 2007; 除夕–初二 2008–2013; 初一–初三 2014–2024; 除夕–初三 from 2025), and from 2008 清明节,
 * 端午节 (五月初五) and 中秋节 (八月十五), one day each. These are the law's days; the State Council's notice
 * joins them to weekends and moves working days (调休), which no calendar can foretell.
 *
 * @example
 * lunarStatutoryHolidays(2027).get('2027-02-06'); // '春节' (除夕)
 */
export function lunarStatutoryHolidays(year: number): ReadonlyMap<CivilDate, string> {
  const days = new Map<CivilDate, string>();
  const newYear = lunarToCivil(year, 1, 1);
  if (newYear === null) return days;
  const first = year < 2008 || (year >= 2014 && year < 2025) ? 0 : -1;
  const last = year >= 2008 && year < 2014 ? 1 : 2;
  for (let d = first; d <= last; d++) days.set(addCalendarDays(newYear, d), '春节');
  if (year >= 2008) {
    days.set(qingming(year), '清明节');
    const duanwu = lunarToCivil(year, 5, 5);
    const zhongqiu = lunarToCivil(year, 8, 15);
    if (duanwu) days.set(duanwu, '端午节');
    if (zhongqiu) days.set(zhongqiu, '中秋节');
  }
  return days;
}
