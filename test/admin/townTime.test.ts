/** The admin shows and reads every time on the town's clock (UTC+8), whatever zone the staff member's computer is in. */
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime, fromTownDateTime, toTownDateTime } from '../../admin/lib/format';

// 2026-12-07 19:30:05 UTC is 2026-12-08 03:30:05 in the town.
const AT = Date.UTC(2026, 11, 7, 19, 30, 5);

describe('times on the town’s clock', () => {
  it('formats an instant as the town’s date and time, not the browser’s', () => {
    expect(formatDateTime(AT)).toBe('2026-12-08 03:30');
    expect(formatTime(AT)).toBe('03:30:05');
  });

  it('reads a datetime-local value as town time and writes it back unchanged', () => {
    expect(toTownDateTime(AT)).toBe('2026-12-08T03:30');
    expect(fromTownDateTime('2026-12-08T03:30')).toBe(Date.UTC(2026, 11, 7, 19, 30));
    expect(toTownDateTime(fromTownDateTime('2027-01-01T00:00'))).toBe('2027-01-01T00:00');
    expect(fromTownDateTime('')).toBeNaN();
    expect(fromTownDateTime('2026-12-08 03:30')).toBeNaN();
  });
});
