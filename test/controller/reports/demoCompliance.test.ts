/**
 * A new user's first compliance report (issue 15, point 4): the demo town a
 * fresh data directory gets is a plausible, compliant town. Every demo 公示 is
 * approved on or before its start, and the report for the day of the first
 * start, asked a little later, flags nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ComplianceReport, civilDateOf } from '../../../controller/protocol/index.js';
import { type TestController, data, staff, startController } from '../../helpers/controller.js';

const T0 = Date.parse('2026-12-07T12:06:00Z'); // 20:06 in the town
const clock = { ms: T0 };
let t: TestController;

beforeAll(async () => {
  t = await startController({ clock: { now: () => clock.ms } });
});
afterAll(() => t.dispose());

it('the demo town passes its own posting-period compliance report', async () => {
  const { editor } = await staff(t);
  clock.ms = T0 + 20 * 60_000;
  const day = civilDateOf(T0);
  const report = data((await editor.get<ComplianceReport>(`/api/reports/compliance?from=${day}&to=${day}`)).body);
  expect(report.rows.length).toBeGreaterThanOrEqual(5);
  expect(report.rows.filter((r) => !r.compliant).map((r) => ({ title: r.title, reasons: r.reasons }))).toEqual([]);
  for (const row of report.rows) expect(civilDateOf(row.plannedFrom)).toBe(day);
});
