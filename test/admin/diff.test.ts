import { describe, expect, it } from 'vitest';
import { type DiffPart, diffSequence, diffText, tokenize } from '../../admin/lib/diff';

const side = (parts: readonly DiffPart[], keep: 'delete' | 'insert'): string =>
  parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('');

describe('diff', () => {
  it('finds a longest common subsequence', () => {
    expect(diffSequence(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual([
      ['equal', 'a'],
      ['delete', 'b'],
      ['equal', 'c'],
      ['insert', 'd'],
    ]);
    expect(diffSequence([], ['x'])).toEqual([['insert', 'x']]);
    expect(diffSequence(['x'], [])).toEqual([['delete', 'x']]);
  });

  it('splits hanzi one by one and keeps Latin words and numbers whole', () => {
    expect(tokenize('缴费400元 per year')).toEqual(['缴', '费', '400', '元', ' ', 'per', ' ', 'year']);
    expect(tokenize('第一段\n第二段')).toEqual(['第', '一', '段', '\n', '第', '二', '段']);
  });

  it('shows a changed number inside a sentence as just that number', () => {
    expect(diffText('公示期7天', '公示期10天')).toEqual([
      { op: 'equal', text: '公示期' },
      { op: 'delete', text: '7' },
      { op: 'insert', text: '10' },
      { op: 'equal', text: '天' },
    ]);
  });

  it('keeps unchanged paragraphs whole and diffs only the changed one', () => {
    const before = '各村村民：\n\n缴费标准为每人每年380元。\n\n咨询电话：镇便民服务中心。';
    const after = '各村村民：\n\n缴费标准为每人每年400元，截止12月31日。\n\n咨询电话：镇便民服务中心。';
    const parts = diffText(before, after);
    expect(parts[0]).toEqual({ op: 'equal', text: '各村村民：\n\n缴费标准为每人每年' });
    expect(parts.filter((p) => p.op === 'delete').map((p) => p.text)).toEqual(['380']);
    expect(parts.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual(['400', '，截止12月31日']);
    expect(side(parts, 'delete')).toBe(before);
    expect(side(parts, 'insert')).toBe(after);
  });

  it('rebuilds both texts from any diff, including added and removed lines', () => {
    const cases: [string, string][] = [
      ['', '新公告'],
      ['旧公告', ''],
      ['a\nb\nc', 'a\nc\nd'],
      ['同一行', '同一行'],
      ['张三 13812345678', '张三 138****5678'],
    ];
    for (const [before, after] of cases) {
      const parts = diffText(before, after);
      expect(side(parts, 'delete')).toBe(before);
      expect(side(parts, 'insert')).toBe(after);
      expect(parts.every((p) => p.text !== '')).toBe(true);
    }
  });
});
