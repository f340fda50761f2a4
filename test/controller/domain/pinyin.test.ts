import { describe, expect, it } from 'vitest';
import { seedDemoTown } from '../../../controller/demo.js';
import { compilePlaylist } from '../../../controller/domain/playlist.js';
import { initialOf, pinyinInitials } from '../../../controller/domain/pinyin.js';
import { createHolidayCalendar } from '../../../controller/protocol/index.js';
import { emptyState } from '../../../controller/store/state.js';

describe('pinyinInitials', () => {
  it('gives the initials of level-1 hanzi: 低保公示 → dbgs', () => {
    expect(pinyinInitials('低保公示')).toBe('dbgs');
    expect(pinyinInitials('张堂村低保对象动态调整公示')).toBe('ztcdbdxdtdzgs');
    expect(pinyinInitials('宋营村道路硬化工程招标结果公示')).toBe('sycdlyhgczbjggs');
  });

  it('keeps digits and Latin letters, folds full-width forms and case, drops punctuation', () => {
    expect(pinyinInitials('关于2026年度医疗保险的通知')).toBe('gy2026ndylbxdtz');
    expect(pinyinInitials('（第３期）ＡＢ栏 ok！')).toBe('d3qablok');
    expect(pinyinInitials('彪政〔2026〕12号')).toBe('bz202612h');
    expect(pinyinInitials('')).toBe('');
  });

  it('puts every boundary hanzi and its neighbours under the right initial', () => {
    // The first hanzi of each initial, then the last of each (澳 ào … 孕 yùn, and 座 zuò, the last level-1 hanzi).
    expect(pinyinInitials('啊芭擦搭蛾发噶哈击喀垃妈拿哦啪期然撒塌挖昔压匝')).toBe('abcdefghjklmnopqrstwxyz');
    expect(pinyinInitials('澳怖错堕贰咐过祸骏阔络穆诺沤瀑群弱所唾误迅孕座')).toBe('abcdefghjklmnopqrstwxyz');
  });

  it('gives level-2 hanzi no initial unless they are listed, and listed name hanzi theirs', () => {
    expect(initialOf('亍')).toBe('');
    expect(initialOf('喆')).toBe('z');
    expect(pinyinInitials('王喆')).toBe('wz');
  });

  it('passes non-Chinese symbols and emoji over', () => {
    expect(pinyinInitials('村务·财务 — 公开 🎉')).toBe('cwcwgk');
  });
});

describe('compilePlaylist', () => {
  it('puts the pinyin initials of each title on its playlist item, for the kiosk search', () => {
    const now = Date.UTC(2026, 10, 26, 2);
    const state = emptyState(now);
    seedDemoTown(state, now, createHolidayCalendar());
    const { items } = compilePlaylist(state.notices, { villageId: 'v2' }, now);
    const dibao = items.find((i) => i.title === '张堂村低保对象动态调整公示');
    expect(dibao?.initials).toBe('ztcdbdxdtdzgs');
    expect(items.every((i) => i.initials === pinyinInitials(i.title))).toBe(true);
  });
});
