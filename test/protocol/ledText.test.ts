import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CharsetUnavailableError,
  SIGN_PRESETS,
  charsetChars,
  layoutLedText,
  ledTextStats,
  unsupportedChars,
  type SignGeometry,
} from '../../controller/protocol/ledText.js';

const ONE_LINE_4: SignGeometry = { widthPx: 64, heightPx: 16, fontPx: 16 };
const ONE_LINE_8: SignGeometry = { widthPx: 128, heightPx: 16, fontPx: 16 };
const TWO_LINES_8: SignGeometry = { widthPx: 128, heightPx: 32, fontPx: 16 };
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

describe('charsetChars', () => {
  it('GB2312 has its 682 symbols and 6763 hanzi, nothing more', () => {
    const gb2312 = charsetChars('gb2312');
    const hanzi = [...gb2312].filter((c) => /^[\u4e00-\u9fff]$/.test(c));
    expect(hanzi).toHaveLength(6763);
    expect(gb2312.size).toBe(7445);
  });

  it('GBK is the CP936 two-byte table without its user-defined cells', () => {
    // 21791 in Node 20 (ICU), equal to iconv-lite's cp936 table outside the Private
    // Use Area. Engines that adopted GB18030-2022 (WHATWG encoding PR #336) turn 18
    // more cells (A6D9–A6DF, A6EC–A6ED, A6F3, FE59…FEA0) from PUA into characters.
    const size = charsetChars('gbk').size;
    expect(size).toBeGreaterThanOrEqual(21791);
    expect(size).toBeLessThanOrEqual(21791 + 18);
  });

  it('GB2312 is a subset of GBK and neither holds Private Use characters', () => {
    const gbk = charsetChars('gbk');
    expect([...charsetChars('gb2312')].filter((c) => !gbk.has(c))).toEqual([]);
    const pua = (c: string) => /^[\ue000-\uf8ff]$/.test(c);
    expect([...gbk].filter(pua)).toEqual([]);
  });

  it('is built once and cached', () => {
    expect(charsetChars('gbk')).toBe(charsetChars('gbk'));
  });
});

describe('unsupportedChars', () => {
  it('accepts common notice text, full-width punctuation and ASCII under both charsets', () => {
    const text = '公示：彪角镇低保名单，请核对。（第3期）“——”…·《通知》ABC abc 123!?\r\n下一行';
    expect(unsupportedChars(text, 'gb2312')).toEqual([]);
    expect(unsupportedChars(text, 'gbk')).toEqual([]);
  });

  it('flags GBK-only name characters under GB2312, by position', () => {
    expect(unsupportedChars('张喆、李镕、王堃、赵犇', 'gb2312')).toEqual([
      { index: 1, char: '喆', codePoint: 0x5586 },
      { index: 4, char: '镕', codePoint: 0x9555 },
      { index: 7, char: '堃', codePoint: 0x5803 },
      { index: 10, char: '犇', codePoint: 0x7287 },
    ]);
    expect(unsupportedChars('张喆、李镕、王堃、赵犇', 'gbk')).toEqual([]);
  });

  it('rejects the GBK symbols the decoder puts in GB2312’s empty cells', () => {
    // ⅰ is A2A1, ︵ is A6E0: inside GB2312's rows, but GBK additions.
    expect(unsupportedChars('ⅰ︵', 'gb2312').map((u) => u.char)).toEqual(['ⅰ', '︵']);
    expect(unsupportedChars('ⅰ︵', 'gbk')).toEqual([]);
  });

  it('flags emoji and CJK Extension B under both, with UTF-16 indices after surrogate pairs', () => {
    const text = '😀公示𠀀告𠮷';
    const expected = [
      { index: 0, char: '😀', codePoint: 0x1f600 },
      { index: 4, char: '𠀀', codePoint: 0x20000 },
      { index: 7, char: '𠮷', codePoint: 0x20bb7 },
    ];
    expect(unsupportedChars(text, 'gb2312')).toEqual(expected);
    expect(unsupportedChars(text, 'gbk')).toEqual(expected);
    for (const { index, char } of expected) expect(text.slice(index, index + char.length)).toBe(char);
  });

  it('allows CR/LF but flags other control characters and lone surrogates', () => {
    expect(unsupportedChars('a\tb\u0000c\r\nd\u007f\ud800', 'gbk')).toEqual([
      { index: 1, char: '\t', codePoint: 0x09 },
      { index: 3, char: '\u0000', codePoint: 0x00 },
      { index: 8, char: '\u007f', codePoint: 0x7f },
      { index: 9, char: '\ud800', codePoint: 0xd800 },
    ]);
  });
});

describe('without a GBK decoder', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('throws a clear error instead of allowing everything', async () => {
    vi.resetModules();
    vi.stubGlobal(
      'TextDecoder',
      class {
        constructor(label: string) {
          throw new RangeError(`The "${label}" encoding is not supported`);
        }
      },
    );
    const fresh = await import('../../controller/protocol/ledText.js');
    expect(() => fresh.unsupportedChars('hello', 'gb2312')).toThrow(fresh.CharsetUnavailableError);
    expect(() => fresh.charsetChars('gbk')).toThrow(/TextDecoder\("gbk"\) is unavailable/);
    expect(CharsetUnavailableError).not.toBe(fresh.CharsetUnavailableError);
  });
});

describe('layoutLedText', () => {
  it('puts 16 hanzi on a 128×16 sign as 2 pages of 8', () => {
    const layout = layoutLedText('关于二〇二四年低保资格复核结果的公示'.slice(0, 16), ONE_LINE_8);
    expect(layout.pages).toEqual([['关于二〇二四年低'], ['保资格复核结果的']]);
    expect(layout).toMatchObject({ charsPerLine: 8, unitsPerLine: 16, linesPerPage: 1, pageCount: 2, widthUnits: 32 });
  });

  it('counts ASCII as half width', () => {
    const layout = layoutLedText('2024年第3季度低保名单', ONE_LINE_4);
    expect(layout.lines).toEqual(['2024年第', '3季度低', '保名单']);
    expect(layout.widthUnits).toBe(5 + 8 * 2);
    expect(layoutLedText('ABCDEFGHIJKLMNOP', ONE_LINE_4).lines).toEqual(['ABCDEFGH', 'IJKLMNOP']);
  });

  it('never splits a surrogate pair', () => {
    const layout = layoutLedText('1234567𠮷8', ONE_LINE_4);
    expect(layout.lines).toEqual(['1234567', '𠮷8']);
    for (const line of layout.lines) expect(line).toMatch(WELL_FORMED);
  });

  it('pulls the previous character down rather than start a line with closing punctuation', () => {
    expect(layoutLedText('今天停水。明天', ONE_LINE_4).lines).toEqual(['今天停', '水。明天']);
    expect(layoutLedText('一二三好」。', ONE_LINE_4).lines).toEqual(['一二三', '好」。']);
    expect(layoutLedText('一二三。」好', ONE_LINE_4).lines).toEqual(['一二', '三。」好']);
    expect(layoutLedText('abcdefgh,i', ONE_LINE_4).lines).toEqual(['abcdefg', 'h,i']);
  });

  it('breaks between words: numbers and Latin words are not split across lines', () => {
    // The line had room for "停水1": the number moves down whole, not "1" / "2月8日".
    expect(layoutLedText('3号停水12月8日起', ONE_LINE_4).lines).toEqual(['3号停水', '12月8日', '起']);
    expect(layoutLedText('时间8:30到12:00', ONE_LINE_4).lines).toEqual(['时间8:30', '到12:00']);
    expect(layoutLedText('请扫码 WeChat 登记', ONE_LINE_4).lines).toEqual(['请扫码 ', 'WeChat ', '登记']);
    // A word longer than a line is still cut, losing nothing.
    expect(layoutLedText('编号20261208001号', ONE_LINE_4).lines.join('')).toBe('编号20261208001号');
  });

  it('does not end a line with an opening bracket', () => {
    expect(layoutLedText('一二三《公示》', ONE_LINE_4).lines).toEqual(['一二三', '《公示》']);
  });

  it('gives up on 禁则 when the line is too narrow, losing no characters', () => {
    const layout = layoutLedText('好。！', { widthPx: 16, heightPx: 16, fontPx: 16 });
    expect(layout.lines).toEqual(['好', '。', '！']);
  });

  it('keeps explicit line breaks, CRLF and CR included', () => {
    const layout = layoutLedText('公示\n\n低保\r\n名单\r一二三四五六七八九', TWO_LINES_8);
    expect(layout.lines).toEqual(['公示', '', '低保', '名单', '一二三四五六七八', '九']);
    expect(layout.pages).toEqual([
      ['公示', ''],
      ['低保', '名单'],
      ['一二三四五六七八', '九'],
    ]);
    expect(layout.widthUnits).toBe(15 * 2);
    expect(layoutLedText('公示\n', TWO_LINES_8).lines).toEqual(['公示', '']);
  });

  it('gives empty text no lines and no pages', () => {
    expect(layoutLedText('', TWO_LINES_8)).toEqual({
      lines: [],
      pages: [],
      charsPerLine: 8,
      unitsPerLine: 16,
      linesPerPage: 2,
      pageCount: 0,
      widthUnits: 0,
    });
  });

  it('scales with the font size', () => {
    const layout = layoutLedText('村民代表大会决议公示', { widthPx: 192, heightPx: 32, fontPx: 32 });
    expect(layout).toMatchObject({ charsPerLine: 6, unitsPerLine: 12, linesPerPage: 1, pageCount: 2 });
  });

  it('rejects a sign that cannot hold one character', () => {
    expect(() => layoutLedText('公示', { widthPx: 8, heightPx: 16, fontPx: 16 })).toThrow(RangeError);
    expect(() => layoutLedText('公示', { widthPx: 128, heightPx: 16, fontPx: 24 })).toThrow(RangeError);
    expect(() => layoutLedText('公示', { widthPx: 128, heightPx: 16, fontPx: 12 } as unknown as SignGeometry)).toThrow(RangeError);
  });
});

describe('ledTextStats', () => {
  it('counts characters, width and pages and lists what the sign cannot show', () => {
    expect(ledTextStats('王喆，😀\n好', ONE_LINE_8, 'gb2312')).toEqual({
      chars: 5,
      widthUnits: 10,
      pageCount: 2,
      unsupported: [
        { index: 1, char: '喆', codePoint: 0x5586 },
        { index: 3, char: '😀', codePoint: 0x1f600 },
      ],
    });
    expect(ledTextStats('', ONE_LINE_8, 'gbk')).toEqual({ chars: 0, widthUnits: 0, pageCount: 0, unsupported: [] });
  });
});

describe('SIGN_PRESETS', () => {
  it('labels say what the layout gives', () => {
    const LINE_WORDS: Record<number, string> = { 1: '单行', 2: '双行', 4: '四行' };
    for (const { label, geometry } of SIGN_PRESETS) {
      const layout = layoutLedText('', geometry);
      expect(label).toContain(`${geometry.widthPx}×${geometry.heightPx}`);
      expect(label).toContain(` ${layout.charsPerLine} 字`);
      expect(label.startsWith(LINE_WORDS[layout.linesPerPage] ?? '?')).toBe(true);
    }
  });

  it('covers the common strips with unique ids and cannot be changed by a caller', () => {
    const ids = SIGN_PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['64x16', '128x16', '192x16', '128x32', '192x32', '256x32', '320x64']));
    expect(Object.isFrozen(SIGN_PRESETS)).toBe(true);
    expect(Object.isFrozen(SIGN_PRESETS[0]?.geometry)).toBe(true);
  });
});
