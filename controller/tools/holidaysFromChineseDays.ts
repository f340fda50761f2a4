/**
 * Writes `controller/protocol/holidaysPast.ts`, the national holiday schedules
 * of the years before the hand-checked table in `holidays.ts`, from the data
 * the npm package `chinese-days` publishes (`dist/chinese-days.json`, MIT).
 * The package is not a dependency: fetch the version to use and point at it,
 *
 *   npm pack chinese-days@1.5.7 && tar xzf chinese-days-1.5.7.tgz
 *   npx tsx controller/tools/holidaysFromChineseDays.ts package/dist/chinese-days.json 1.5.7
 *   npx prettier --write controller/protocol/holidaysPast.ts
 *
 * then copy the JSON to `test/protocol/fixtures/chinese-days-<version>.json`:
 * `test/protocol/holidaysPast.test.ts` checks that the generated table is what
 * this script makes of that copy, and the copy against the State Council
 * notices checked by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HolidaySchedule } from '../protocol/holidays.js';

/** `dist/chinese-days.json`: day → "English name,中文名,days by law". */
export interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The hand-checked table (`holidays.ts`) starts here; earlier years come from the package. */
export const FIRST_HAND_CHECKED_YEAR = 2024;
const FIRST_YEAR = 2004;

/** The package's short names, as the State Council notices write them. */
const NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The schedules of `FIRST_YEAR` up to the hand-checked table, a year being the days dated in it. */
export function schedulesFrom(data: ChineseDaysData, version: string): HolidaySchedule[] {
  const years: HolidaySchedule[] = [];
  for (let year = FIRST_YEAR; year < FIRST_HAND_CHECKED_YEAR; year++) {
    const inYear = (day: string): boolean => day.startsWith(`${year}-`);
    const holidays: [string, string, string][] = [];
    for (const day of Object.keys(data.holidays).filter(inYear).sort()) {
      const raw = data.holidays[day]?.split(',')[1] ?? '放假';
      const name = NAMES[raw] ?? raw;
      const last = holidays.at(-1);
      if (last && last[0] === name && nextDay(last[2]) === day) last[2] = day;
      else holidays.push([name, day, day]);
    }
    const workdays = Object.keys(data.workdays).filter(inYear).sort();
    years.push({ year, source: `chinese-days ${version} (npm), dist/chinese-days.json`, holidays, workdays });
  }
  return years;
}

/** The TypeScript module for the schedules, formatted as prettier would. */
export function holidaysPastModule(schedules: readonly HolidaySchedule[], version: string): string {
  const lines = [
    '/**',
    ` * National holiday schedules ${FIRST_YEAR}–${FIRST_HAND_CHECKED_YEAR - 1}, generated from the npm package`,
    ` * chinese-days ${version} by controller/tools/holidaysFromChineseDays.ts; do not edit.`,
    ' * test/protocol/holidaysPast.test.ts compares it with the package data and with',
    ' * State Council notices checked by hand.',
    ' */',
    "import type { HolidaySchedule } from './holidays.js';",
    '',
    'export const PAST_HOLIDAY_SCHEDULES: readonly HolidaySchedule[] = [',
  ];
  for (const s of schedules) {
    lines.push('  {', `    year: ${s.year},`, `    source: '${s.source}',`, '    holidays: [');
    for (const [name, first, last] of s.holidays) lines.push(`      ['${name}', '${first}', '${last}'],`);
    lines.push('    ],', `    workdays: [${s.workdays.map((d) => `'${d}'`).join(', ')}],`, '  },');
  }
  lines.push('];', '');
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, version] = process.argv.slice(2);
  if (!file || !version) throw new Error('usage: holidaysFromChineseDays.ts <dist/chinese-days.json> <version>');
  const data = JSON.parse(readFileSync(file, 'utf8')) as ChineseDaysData;
  const out = fileURLToPath(new URL('../protocol/holidaysPast.ts', import.meta.url));
  writeFileSync(out, holidaysPastModule(schedulesFrom(data, version), version));
  console.log(`wrote ${out}`);
}
