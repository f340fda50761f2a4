/**
 * The shell's data, one hook per concern (town, devices, display records,
 * staff, notice changes) under the live link: the snapshot fills each slice,
 * each live delta changes only its own slice.
 */
import { act, cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminApi } from '../../admin/lib/api';
import { type AdminData, useAdminData } from '../../admin/lib/useAdminData';
import { ADMIN, DEVICE, EDITOR, fakeApi, fakeLive, record } from './fakes';

afterEach(cleanup);

function setup() {
  const { api } = fakeApi();
  const calls: string[] = [];
  const counted: AdminApi = {
    ...api,
    devices: () => (calls.push('devices'), api.devices()),
    records: (limit) => (calls.push('records'), api.records(limit)),
  };
  const live = fakeLive();
  const seen: AdminData[] = [];
  function Probe() {
    seen.push(useAdminData(counted, live.connect, ADMIN));
    return null;
  }
  render(<Probe />);
  const latest = (): AdminData => seen[seen.length - 1] as AdminData;
  return { calls, live, latest };
}

describe('useAdminData', () => {
  it('fills every slice from the snapshot', async () => {
    const { latest } = setup();
    await waitFor(() => expect(latest().town).not.toBeNull());
    await waitFor(() => expect(latest().records).toHaveLength(1));
    expect(latest().devices.map((d) => d.id)).toEqual([DEVICE.id]);
    expect(latest().users).toHaveLength(3);
    expect(latest().nameOf(EDITOR.id)).toBe(EDITOR.displayName);
    expect(latest().loadError).toBeNull();
  });

  it('a delta changes its own slice only: the town, staff and bus stay the same objects', async () => {
    const { latest, live, calls } = setup();
    await waitFor(() => expect(latest().records).toHaveLength(1));
    const before = latest();
    calls.length = 0;
    await act(() => {
      live.state.handlers?.deviceChanged({ ...DEVICE, name: '改名后的触摸屏' });
    });
    await waitFor(() => expect(latest().devices[0]?.name).toBe('改名后的触摸屏'));
    expect(calls).toEqual([]); // a known device is merged, not fetched again
    const after = latest();
    expect(after.town).toBe(before.town);
    expect(after.calendar).toBe(before.calendar);
    expect(after.nameOf).toBe(before.nameOf);
    expect(after.subscribe).toBe(before.subscribe);
    expect(after.records).toBe(before.records);
  });

  it('an unknown device fetches the list; a storm batch fetches the records and keeps the live ones', async () => {
    const { latest, live, calls } = setup();
    await waitFor(() => expect(latest().records).toHaveLength(1));
    calls.length = 0;
    await act(() => {
      live.state.handlers?.deviceChanged({ ...DEVICE, id: 'k-new' });
    });
    await waitFor(() => expect(calls).toContain('devices'));
    const fresh = record({ seq: 9, receiptId: '00000000-0000-4000-8000-000000000009' });
    await act(() => {
      live.state.handlers?.displaysRecorded({ records: [fresh], dropped: 3 });
    });
    await waitFor(() => expect(calls).toContain('records'));
    await waitFor(() => expect(latest().records.map((r) => r.seq)).toEqual([9, 1]));
  });
});
