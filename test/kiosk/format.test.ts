import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatPostingPeriod, formatWeekday, paragraphs } from '../../kiosk/format';
import { randomId } from '../../kiosk/uuid';

describe('kiosk formats', () => {
  it('writes dates and times the way villagers read them, in the town’s time whatever the machine’s zone', () => {
    const at = Date.parse('2026-01-05T09:07:00+08:00');
    expect(formatDate(at)).toBe('2026年1月5日');
    expect(formatClock(at)).toBe('09:07');
    expect(formatWeekday(at)).toBe('星期一');
    // 20:06 on 12-07 in the town is 12:06 UTC, still 12-07 in UTC but 12-06 in Los Angeles.
    const evening = Date.parse('2026-12-07T20:06:00+08:00');
    expect(`${formatDate(evening)} ${formatClock(evening)} ${formatWeekday(evening)}`).toBe('2026年12月7日 20:06 星期一');
    // 00:30 in the town is the day before in UTC.
    expect(formatDate(Date.parse('2026-12-08T00:30:00+08:00'))).toBe('2026年12月8日');
    // Another offset from the controller is followed.
    expect(formatClock(evening, 0)).toBe('12:06');
  });

  it('describes the posting period', () => {
    const start = Date.parse('2026-11-25T00:00:00+08:00');
    const end = Date.parse('2026-12-02T00:00:00+08:00');
    expect(formatPostingPeriod(start, end)).toBe('2026年11月25日 至 2026年12月1日');
    expect(formatPostingPeriod(null, null)).toBe('长期');
    expect(formatPostingPeriod(start, null)).toBe('2026年11月25日 起，长期');
    expect(formatPostingPeriod(null, end)).toBe('至 2026年12月1日');
  });

  it('splits text into paragraphs at blank lines only', () => {
    expect(paragraphs('甲\n乙\n\n  \n丙\n')).toEqual(['甲\n乙', '丙']);
  });
});

describe('randomId', () => {
  it('makes RFC 9562 version-4 UUIDs even where crypto.randomUUID is missing (plain http)', () => {
    const zeros = { getRandomValues: <T extends ArrayBufferView | null>(array: T): T => array };
    expect(randomId(zeros)).toBe('00000000-0000-4000-8000-000000000000');
    expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('text the kiosk can draw', () => {
  it('drops emoji skin-tone modifiers (drawn as boxes without a colour emoji font), keeping the emoji and everything else', async () => {
    const { drawable, drawablePlaylist } = await import('../../kiosk/format');
    expect(drawable('请大家点赞👍🏽👋🏿，谢谢👨🏻‍🌾')).toBe('请大家点赞👍👋，谢谢👨‍🌾');
    expect(drawable('低保公示 2026')).toBe('低保公示 2026');
    const { item, playlist } = await import('./fixtures');
    const plain = playlist([item({ title: '通知' })]);
    expect(drawablePlaylist(plain)).toBe(plain);
    const toned = playlist([item({ title: '好👍🏾', body: '👏🏻👏🏼', issuer: '村委会🙏🏽' })]);
    const drawn = drawablePlaylist(toned);
    expect(drawn?.items[0]).toMatchObject({ title: '好👍', body: '👏👏', issuer: '村委会🙏', contentHash: toned.items[0]?.contentHash });
  });
});
