import { describe, expect, it } from 'vitest';
import { searchItems, subsequenceSpan } from '../../kiosk/search';
import { item } from './fixtures';

const items = [
  item({
    noticeId: 'yb',
    title: '关于2026年度城乡居民医疗保险集中缴费的通知',
    initials: 'gy2026ndcxjmylbxjzjfdtz',
    body: '个人缴费标准为每人每年400元。',
  }),
  item({ noticeId: 'db', title: '张堂村低保对象动态调整公示', initials: 'ztcdbdxdtdzgs', body: '拟新增低保对象2户。' }),
  item({ noticeId: 'dbgs', title: '低保公示', initials: 'dbgs', body: '名单见村务公开栏。' }),
  item({ noticeId: 'old', title: '旧版播放列表里的公告', body: '没有拼音首字母。' }),
];

const ids = (query: string): string[] => searchItems(items, query).map((h) => h.item.noticeId);

describe('searchItems', () => {
  it('finds 低保公示 by its initials, the exact run first, then initials in order with others between', () => {
    expect(ids('dbgs')).toEqual(['dbgs', 'db']);
    expect(ids('DBGS')).toEqual(['dbgs', 'db']);
  });

  it('finds by hanzi in the title, earlier in the title first, before matches in the text only', () => {
    expect(ids('低保')).toEqual(['dbgs', 'db']);
    expect(ids('公开栏')).toEqual(['dbgs']);
    expect(ids('缴费标准')).toEqual(['yb']);
  });

  it('finds digits in titles and texts', () => {
    expect(ids('2026')).toEqual(['yb']);
    expect(ids('400')).toEqual(['yb']);
  });

  it('finds nothing for an empty query or for letters no title has in that order, and copes with items without initials', () => {
    expect(ids('')).toEqual([]);
    expect(ids('  ')).toEqual([]);
    expect(ids('qqq')).toEqual([]);
    expect(ids('gg')).toEqual([]);
  });
});

describe('subsequenceSpan', () => {
  it('measures the shortest stretch holding the letters in order', () => {
    expect(subsequenceSpan('ztcdbdxdtdzgs', 'dbgs')).toBe(10);
    expect(subsequenceSpan('axxbab', 'ab')).toBe(2);
    expect(subsequenceSpan('abc', 'ca')).toBe(-1);
  });
});
