import { describe, expect, it } from 'vitest';
import { type OnHours, type Playlist, type PlaylistItem, activeItems, isOnHours } from '../../controller/protocol/index.js';

const item = (id: string, over: Partial<PlaylistItem> = {}): PlaylistItem => ({
  noticeId: id,
  versionId: `${id}-v1`,
  contentHash: '0'.repeat(64),
  category: 'a20-other',
  docNumber: null,
  emergency: null,
  correction: null,
  title: id,
  body: '',
  issuer: '彪角镇人民政府',
  startsAt: null,
  endsAt: null,
  durationSec: 10,
  priority: 0,
  approvedAt: 0,
  ...over,
});

describe('activeItems', () => {
  it('keeps only items whose window contains now, start inclusive and end exclusive', () => {
    const playlist: Playlist = {
      version: 'x',
      generatedAt: 0,
      items: [
        item('always'),
        item('future', { startsAt: 200 }),
        item('past', { endsAt: 100 }),
        item('window', { startsAt: 100, endsAt: 200 }),
      ],
    };
    expect(
      activeItems(playlist, 100)
        .map((i) => i.noticeId)
        .sort(),
    ).toEqual(['always', 'window']);
    expect(
      activeItems(playlist, 200)
        .map((i) => i.noticeId)
        .sort(),
    ).toEqual(['always', 'future']);
  });

  it('orders by priority, then newest approval', () => {
    const playlist: Playlist = {
      version: 'x',
      generatedAt: 0,
      items: [item('old', { approvedAt: 1 }), item('new', { approvedAt: 2 }), item('urgent', { priority: 9 })],
    };
    expect(activeItems(playlist, 0).map((i) => i.noticeId)).toEqual(['urgent', 'new', 'old']);
  });

  it('does not reorder the playlist it is given', () => {
    const playlist: Playlist = { version: 'x', generatedAt: 0, items: [item('a', { approvedAt: 1 }), item('b', { approvedAt: 2 })] };
    activeItems(playlist, 0);
    expect(playlist.items.map((i) => i.noticeId)).toEqual(['a', 'b']);
  });
});

/** Beijing time as epoch ms: `bj(2026, 11, 30, 8, 0)` is Monday 30 Nov 2026 08:00 in 彪角镇. */
const bj = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 8, min);
const HOUR = 3_600_000;

describe('on-hours', () => {
  // Weekdays 08:00–12:00 and 14:00–18:00; Saturday mornings; Sunday off.
  const weekday: [number, number][] = [
    [8 * 60, 12 * 60],
    [14 * 60, 18 * 60],
  ];
  const hours: OnHours = { utcOffsetMinutes: 480, weekly: [weekday, weekday, weekday, weekday, weekday, [[8 * 60, 12 * 60]], []] };

  it('reads the weekday and time in the town’s zone, start inclusive and end exclusive', () => {
    expect(isOnHours(hours, bj(2026, 11, 30, 8, 0))).toBe(true); // Monday 08:00
    expect(isOnHours(hours, bj(2026, 11, 30, 7, 59))).toBe(false);
    expect(isOnHours(hours, bj(2026, 11, 30, 12, 0))).toBe(false); // lunch
    expect(isOnHours(hours, bj(2026, 11, 30, 17, 59))).toBe(true);
    expect(isOnHours(hours, bj(2026, 12, 5, 9, 0))).toBe(true); // Saturday morning
    expect(isOnHours(hours, bj(2026, 12, 5, 15, 0))).toBe(false); // Saturday afternoon
    expect(isOnHours(hours, bj(2026, 12, 6, 10, 0))).toBe(false); // Sunday
    // 00:30 Monday in Beijing is still Sunday in UTC: the town's day counts.
    expect(isOnHours({ utcOffsetMinutes: 480, weekly: [[[0, 60]], [], [], [], [], [], []] }, bj(2026, 11, 30, 0, 30))).toBe(true);
    expect(isOnHours(null, 0)).toBe(true);
  });

  it('runs a week offline on one playlist: each notice on its own days, only in on-hours, warnings at any hour', () => {
    const playlist: Playlist = {
      version: 'w',
      generatedAt: bj(2026, 11, 29, 20),
      onHours: hours,
      items: [
        item('budget', { startsAt: bj(2026, 11, 30), endsAt: bj(2026, 12, 3) }), // Mon–Wed
        item('subsidy', { startsAt: bj(2026, 12, 2), endsAt: null }), // from Wednesday on
        item('flood', { startsAt: bj(2026, 12, 4, 2), endsAt: bj(2026, 12, 4, 6), emergency: { level: 'orange' }, priority: 103 }),
      ],
    };
    const seen = new Map<string, Set<string>>();
    // Every 10 minutes for a week, as a device with no connection would.
    for (let now = bj(2026, 11, 30); now < bj(2026, 12, 7); now += HOUR / 6) {
      const day = new Date(now + 8 * HOUR).toISOString().slice(0, 10);
      for (const i of activeItems(playlist, now)) {
        if (i.emergency === null) expect(isOnHours(hours, now)).toBe(true);
        const days = seen.get(i.noticeId) ?? new Set();
        days.add(day);
        seen.set(i.noticeId, days);
      }
    }
    expect([...(seen.get('budget') ?? [])]).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    expect([...(seen.get('subsidy') ?? [])]).toEqual(['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
    expect([...(seen.get('flood') ?? [])]).toEqual(['2026-12-04']);
    // 03:00 on Friday: off-hours, yet the warning shows, alone.
    expect(activeItems(playlist, bj(2026, 12, 4, 3)).map((i) => i.noticeId)).toEqual(['flood']);
  });
});
