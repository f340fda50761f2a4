import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthAlarm } from '../../admin/components/HealthAlarm';
import { formatDateTime } from '../../admin/lib/format';
import { fakeApi } from './fakes';

afterEach(cleanup);

const DEGRADED = {
  status: 'degraded',
  version: '0.1.0',
  protocol: 1,
  build: 'dev',
  uptimeSec: 5,
  problems: [{ code: 'disk_full', message: 'disk full', since: Date.parse('2026-12-07T06:30:00Z') }],
} as const;

describe('HealthAlarm', () => {
  it('raises an alarm naming the full data disk, and since when, while the controller says it is degraded', async () => {
    const server = fakeApi({ health: { ...DEGRADED, problems: [...DEGRADED.problems] } });
    render(<HealthAlarm api={server.api} />);
    const alarm = await screen.findByRole('alert');
    expect(alarm.textContent).toContain('数据磁盘已满');
    expect(alarm.textContent).toContain(formatDateTime(DEGRADED.problems[0].since));
  });

  it('shows nothing while the controller is healthy', async () => {
    const server = fakeApi();
    let asked = 0;
    const api = { health: () => (asked++, server.api.health()) };
    render(<HealthAlarm api={api} />);
    await waitFor(() => expect(asked).toBe(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
