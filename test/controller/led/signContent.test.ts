import { describe, expect, it } from 'vitest';
import { IDLE_ROTATION, nextRotation, signItems, signSchedule } from '../../../controller/domain/signContent.js';
import type { Playlist, PlaylistItem } from '../../../controller/protocol/index.js';
import { profile } from './fixtures.js';

function item(key: string, over: Partial<PlaylistItem> = {}): PlaylistItem {
  return {
    noticeId: key,
    versionId: `v-${key}`,
    contentHash: key,
    title: `标题${key}`,
    body: '',
    issuer: '镇政府',
    category: 'a20-other',
    docNumber: null,
    emergency: null,
    correction: null,
    startsAt: null,
    endsAt: null,
    durationSec: 10,
    priority: 0,
    approvedAt: 0,
    ...over,
  };
}
const playlist = (items: PlaylistItem[]): Playlist => ({ version: 'x', generatedAt: 0, items });

describe('sign content', () => {
  it('rotates by duration and lets an emergency interrupt at once, with its level word', () => {
    const texts = new Map([
      ['v-a', '甲通知'],
      ['v-b', ''],
    ]);
    const ledText = (i: PlaylistItem) => texts.get(i.versionId) ?? '';
    const normal = signItems(playlist([item('a'), item('b')]), ledText, 'gb2312', 0).items;
    expect(normal.map((i) => i.text)).toEqual(['甲通知', '标题b']);
    let step = nextRotation(normal, IDLE_ROTATION, 0);
    expect(step.item?.key).toBe('a');
    step = nextRotation(normal, step.state, 9_000);
    expect(step.item?.key).toBe('a');
    step = nextRotation(normal, step.state, 10_000);
    expect(step.item?.key).toBe('b');
    const withAlarm = signItems(
      playlist([item('a'), item('b'), item('e', { emergency: { level: 'orange' }, priority: 103 })]),
      ledText,
      'gb2312',
      10_500,
    ).items;
    expect(withAlarm.map((i) => [i.text, i.colour])).toEqual([['橙色预警（二级）标题e', 'yellow']]);
    expect(nextRotation(withAlarm, step.state, 10_500).item?.key).toBe('e');
  });

  it('leaves out items the sign’s font cannot show, and says which characters', () => {
    const { items, refused } = signItems(playlist([item('a', { title: '王喆同志' })]), () => '', 'gb2312', 0);
    expect(items).toEqual([]);
    expect(refused).toEqual([{ key: 'a', chars: ['喆'] }]);
    expect(signItems(playlist([item('a', { title: '王喆同志' })]), () => '', 'gbk', 0).items).toHaveLength(1);
  });

  it('dims at night and switches off outside the on-hours, across midnight (China time)', () => {
    const p = profile({ onHours: { on: '06:00', off: '22:30' }, brightness: { day: 15, night: 3, nightFrom: '19:00', nightTo: '06:30' } });
    const at = (h: number, m = 0) => Date.UTC(2026, 10, 26, h - 8, m);
    expect(signSchedule(p, at(12))).toEqual({ power: true, brightness: 15 });
    expect(signSchedule(p, at(20))).toEqual({ power: true, brightness: 3 });
    expect(signSchedule(p, at(23))).toEqual({ power: false, brightness: 3 });
    expect(signSchedule(p, at(6, 15))).toEqual({ power: true, brightness: 3 });
    expect(signSchedule(p, at(6, 30))).toEqual({ power: true, brightness: 15 });
  });
});
