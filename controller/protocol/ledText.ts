/**
 * Text helpers for font-card LED signs (字库卡: Onbon BX-5K/6K, EQ2013-F/EQ2023),
 * shared by the controller and the notice editor: which characters the card's
 * GB2312 or GBK font can show, and how a notice wraps into lines and pages.
 *
 * The card draws every double-byte GB code as a fontPx×fontPx glyph and every
 * ASCII byte at half width (docs/reference/led-protocols.md §2). Isomorphic:
 * the charsets come from the WHATWG `TextDecoder('gbk')` that browsers and Node
 * (full ICU) ship, never from iconv-lite, whose 'gb2312' is really GBK.
 */

export type SignCharset = 'gb2312' | 'gbk';

export interface UnsupportedChar {
  /** UTF-16 index into the text, as a textarea's selectionStart counts. */
  index: number;
  /** The whole character: a surrogate pair stays together. */
  char: string;
  codePoint: number;
}

export interface SignGeometry {
  widthPx: number;
  heightPx: number;
  /** Hanzi are fontPx×fontPx, ASCII fontPx/2 wide. */
  fontPx: 16 | 24 | 32;
}

export interface LedLayout {
  lines: string[];
  /** `lines` cut into screens of `linesPerPage`. */
  pages: string[][];
  /** Full-width characters (hanzi) per line. */
  charsPerLine: number;
  /** Half-width units per line: an ASCII character takes 1, a hanzi 2. */
  unitsPerLine: number;
  linesPerPage: number;
  pageCount: number;
  /** Display width of the whole text in half-width units, line breaks excluded. */
  widthUnits: number;
}

export interface LedTextStats {
  /** Characters, surrogate pairs counted once, line breaks not counted. */
  chars: number;
  widthUnits: number;
  pageCount: number;
  unsupported: UnsupportedChar[];
}

export interface SignPreset {
  id: string;
  /** In Chinese, e.g. 单行 4 字 (64×16). */
  label: string;
  /** The same in English, e.g. one line of 4 characters (64×16). */
  labelEn: string;
  geometry: SignGeometry;
}

/** Thrown when the runtime has no GBK decoder (a Node built with small-icu, an old browser). */
export class CharsetUnavailableError extends Error {
  override readonly name = 'CharsetUnavailableError';
}

/** [leadFrom, leadTo, trailFrom, trailTo]: a rectangle of two-byte codes. */
type CodeBlock = readonly [number, number, number, number];

/**
 * The cells GB2312 assigns (GB 2312-1980, rows 1–9 and 16–87). The decoder is a
 * GB18030 one: it also maps the cells GB2312 left empty, to GBK additions such as
 * ⅰ–ⅹ (A2A1–A2AA) and vertical punctuation (A6E0–A6F5), or to the Private Use
 * Area, so GB2312 has to be cut out by its code ranges.
 */
const GB2312_BLOCKS: readonly CodeBlock[] = [
  [0xa1, 0xa1, 0xa1, 0xfe], // 94 punctuation and symbols
  [0xa2, 0xa2, 0xb1, 0xe2], // ⒈–⒛ ⑴–⒇ ①–⑩
  [0xa2, 0xa2, 0xe5, 0xee], // ㈠–㈩
  [0xa2, 0xa2, 0xf1, 0xfc], // Ⅰ–Ⅻ
  [0xa3, 0xa3, 0xa1, 0xfe], // full-width ASCII
  [0xa4, 0xa4, 0xa1, 0xf3], // hiragana
  [0xa5, 0xa5, 0xa1, 0xf6], // katakana
  [0xa6, 0xa6, 0xa1, 0xb8], // Greek capitals
  [0xa6, 0xa6, 0xc1, 0xd8], // Greek small
  [0xa7, 0xa7, 0xa1, 0xc1], // Cyrillic capitals
  [0xa7, 0xa7, 0xd1, 0xf1], // Cyrillic small
  [0xa8, 0xa8, 0xa1, 0xba], // pinyin vowels
  [0xa8, 0xa8, 0xc5, 0xe9], // bopomofo
  [0xa9, 0xa9, 0xa4, 0xef], // box drawing
  [0xb0, 0xd6, 0xa1, 0xfe], // level-1 hanzi (3755 with the next row)
  [0xd7, 0xd7, 0xa1, 0xf9], // D7FA–D7FE are empty
  [0xd8, 0xf7, 0xa1, 0xfe], // level-2 hanzi (3008)
];

/** The GBK two-byte area; its user-defined cells decode to the Private Use Area and are dropped. */
const GBK_BLOCKS: readonly CodeBlock[] = [
  [0x81, 0xfe, 0x40, 0x7e],
  [0x81, 0xfe, 0x80, 0xfe],
];

/** Closing punctuation a line must not start with (禁则, line-start rule). */
const NO_LINE_START = new Set('，。、；：？！）」』》〉】〕］｝”’…—～·．,.;:?!)]}%％');
/** Opening punctuation a line must not end with (line-end rule). */
const NO_LINE_END = new Set('（「『《〈【〔［｛“‘([{');
/**
 * Characters of a word that must not be split across lines: numbers and Latin
 * words ("12月", "2026", "8:30", "No.5"). A break goes at a space or next to a
 * hanzi instead, unless the word is longer than a whole line.
 */
const isWordChar = (char: string): boolean => /^[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.,:/%'_+@&-]$/.test(char);

/** Built once per charset and never changed after: derived data, not shared state. */
const charsetCache = new Map<SignCharset, ReadonlySet<string>>();

/** The part of TextDecoder used here: typed locally so the DOM and Node typings both fit. */
interface ByteDecoder {
  decode(bytes: Uint8Array): string;
}

function gbkDecoder(): ByteDecoder {
  try {
    return new TextDecoder('gbk');
  } catch (cause) {
    throw new CharsetUnavailableError(
      '此运行环境不支持 GBK 解码，无法检查 LED 屏字符集 / TextDecoder("gbk") is unavailable here (Node needs full ICU), so the LED charset cannot be checked',
      { cause },
    );
  }
}

function isPrivateUse(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return cp >= 0xe000 && cp <= 0xf8ff;
}

/**
 * Every non-ASCII character the sign's font has, decoded once and cached.
 *
 * @example
 * charsetChars('gb2312').size; // 7445 = 682 symbols + 6763 hanzi
 */
export function charsetChars(charset: SignCharset): ReadonlySet<string> {
  const cached = charsetCache.get(charset);
  if (cached) return cached;
  const decoder = gbkDecoder();
  const chars = new Set<string>();
  const code = new Uint8Array(2);
  for (const [leadFrom, leadTo, trailFrom, trailTo] of charset === 'gb2312' ? GB2312_BLOCKS : GBK_BLOCKS) {
    for (let lead = leadFrom; lead <= leadTo; lead++) {
      for (let trail = trailFrom; trail <= trailTo; trail++) {
        code[0] = lead;
        code[1] = trail;
        const char = decoder.decode(code);
        if (char !== '' && char !== '\ufffd' && !isPrivateUse(char)) chars.add(char);
      }
    }
  }
  charsetCache.set(charset, chars);
  return chars;
}

function isLineBreak(char: string): boolean {
  return char === '\n' || char === '\r';
}

function isHalfWidth(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return cp >= 0x20 && cp <= 0x7e;
}

/** Half-width units a character takes on the sign: ASCII 1, anything double-byte 2. */
export function displayWidth(char: string): number {
  return isHalfWidth(char) ? 1 : 2;
}

/**
 * The characters of `text` the sign cannot show, by UTF-16 index. Printable
 * ASCII and CR/LF pass; other control characters, emoji and anything outside
 * the charset are listed.
 *
 * @example
 * unsupportedChars('王喆', 'gb2312'); // [{ index: 1, char: '喆', codePoint: 0x5586 }]
 */
export function unsupportedChars(text: string, charset: SignCharset): UnsupportedChar[] {
  const known = charsetChars(charset);
  const out: UnsupportedChar[] = [];
  let index = 0;
  for (const char of text) {
    if (!isLineBreak(char) && !isHalfWidth(char) && !known.has(char)) {
      out.push({ index, char, codePoint: char.codePointAt(0) ?? 0 });
    }
    index += char.length;
  }
  return out;
}

function checkGeometry({ widthPx, heightPx, fontPx }: SignGeometry): void {
  const fits = Number.isInteger(widthPx) && Number.isInteger(heightPx) && widthPx >= fontPx && heightPx >= fontPx;
  if (![16, 24, 32].includes(fontPx) || !fits) {
    throw new RangeError(
      `LED 屏尺寸 ${widthPx}×${heightPx} 放不下 ${fontPx} 点字 / sign ${widthPx}×${heightPx} cannot hold a ${fontPx}px font`,
    );
  }
}

function unitsOf(chars: readonly string[]): number {
  return chars.reduce((sum, char) => sum + displayWidth(char), 0);
}

/**
 * Where to break when `next` does not fit on `line`: characters move down to the next line until it
 * starts, and this one ends, acceptably (禁则) — with `words`, also until no number or Latin word is
 * cut in two ("自1" / "2月8日" becomes "自" / "12月8日"). The next line must still fit; when it would not,
 * the move stops where it is. Returns the line as it stays and what starts the next one.
 */
function breakBefore(line: string[], next: string, unitsPerLine: number, words: boolean): { line: string[]; carried: string[] } {
  const kept = [...line];
  const carried = [next];
  while (kept.length > 1) {
    const last = kept[kept.length - 1] ?? '';
    const head = carried[0] ?? '';
    const splitsWord = words && isWordChar(last) && isWordChar(head);
    if (!NO_LINE_START.has(head) && !NO_LINE_END.has(last) && !splitsWord) break;
    if (unitsOf(carried) + displayWidth(last) > unitsPerLine) break;
    carried.unshift(kept.pop() ?? '');
  }
  return { line: kept, carried };
}

const splitsAWord = (line: readonly string[], carried: readonly string[]): boolean =>
  isWordChar(line[line.length - 1] ?? '') && isWordChar(carried[0] ?? '');

/** Wraps one paragraph (no line breaks) into lines of at most `unitsPerLine`. */
function wrapParagraph(chars: readonly string[], unitsPerLine: number): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  let used = 0;
  for (const char of chars) {
    const width = displayWidth(char);
    if (used + width <= unitsPerLine || line.length === 0) {
      line.push(char);
      used += width;
      continue;
    }
    let cut = breakBefore(line, char, unitsPerLine, true);
    // A word longer than a line is cut where it must be, by 禁则 alone.
    if (splitsAWord(cut.line, cut.carried)) cut = breakBefore(line, char, unitsPerLine, false);
    lines.push(cut.line);
    line = cut.carried;
    used = unitsOf(line);
  }
  lines.push(line);
  return lines;
}

/**
 * Wraps `text` for a sign by display width, keeps explicit line breaks, never
 * splits a surrogate pair, and avoids a line that starts with closing
 * punctuation by pulling the previous character down. Empty text has no lines
 * and no pages; a trailing line break starts an empty last line.
 *
 * @example
 * layoutLedText('关于低保资格复核的公示', { widthPx: 128, heightPx: 16, fontPx: 16 }).pageCount; // 2
 */
export function layoutLedText(text: string, geometry: SignGeometry): LedLayout {
  checkGeometry(geometry);
  const unitsPerLine = Math.floor(geometry.widthPx / (geometry.fontPx / 2));
  const linesPerPage = Math.floor(geometry.heightPx / geometry.fontPx);
  const lines: string[] = [];
  let widthUnits = 0;
  if (text !== '') {
    for (const paragraph of text.split(/\r\n|\r|\n/)) {
      const chars = Array.from(paragraph);
      widthUnits += unitsOf(chars);
      for (const line of wrapParagraph(chars, unitsPerLine)) lines.push(line.join(''));
    }
  }
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += linesPerPage) pages.push(lines.slice(i, i + linesPerPage));
  return {
    lines,
    pages,
    charsPerLine: Math.floor(unitsPerLine / 2),
    unitsPerLine,
    linesPerPage,
    pageCount: pages.length,
    widthUnits,
  };
}

/**
 * The editor's live count for one sign.
 *
 * @example
 * const { chars, pageCount, unsupported } = ledTextStats(body, { widthPx: 192, heightPx: 32, fontPx: 16 }, 'gb2312');
 */
export function ledTextStats(text: string, geometry: SignGeometry, charset: SignCharset): LedTextStats {
  const layout = layoutLedText(text, geometry);
  let chars = 0;
  for (const char of text) if (!isLineBreak(char)) chars++;
  return { chars, widthUnits: layout.widthUnits, pageCount: layout.pageCount, unsupported: unsupportedChars(text, charset) };
}

const LINES_ZH = ['', '单行', '双行', '三行', '四行'];
const LINES_EN = ['', 'one line', 'two lines', 'three lines', 'four lines'];

/** A strip of `widthPx`×`heightPx` with a `fontPx` font, named in both languages by its lines and characters a line. */
function preset(widthPx: number, heightPx: number, fontPx: SignGeometry['fontPx'] = 16): SignPreset {
  const id = fontPx === 16 ? `${widthPx}x${heightPx}` : `${widthPx}x${heightPx}@${fontPx}`;
  const lines = heightPx / fontPx;
  const perLine = widthPx / fontPx;
  const size = fontPx === 16 ? `${widthPx}×${heightPx}` : `${widthPx}×${heightPx}, ${fontPx} 点`;
  const sizeEn = fontPx === 16 ? `${widthPx}×${heightPx}` : `${widthPx}×${heightPx}, ${fontPx}-dot font`;
  const label =
    fontPx !== 16
      ? `${LINES_ZH[lines]}大字 ${perLine} 字 (${size})`
      : lines === 1
        ? `单行 ${perLine} 字 (${size})`
        : `${LINES_ZH[lines]} 每行 ${perLine} 字 (${size})`;
  const labelEn =
    fontPx !== 16
      ? `${LINES_EN[lines]} of ${perLine} large characters (${sizeEn})`
      : lines === 1
        ? `one line of ${perLine} characters (${sizeEn})`
        : `${LINES_EN[lines]} of ${perLine} characters each (${sizeEn})`;
  return Object.freeze({
    id,
    label,
    labelEn: labelEn.charAt(0).toUpperCase() + labelEn.slice(1),
    geometry: Object.freeze({ widthPx, heightPx, fontPx }),
  });
}

/** Common strips of P10 modules (32×16 px each) with the usual 16-point font card. */
export const SIGN_PRESETS: readonly SignPreset[] = Object.freeze([
  preset(64, 16),
  preset(128, 16),
  preset(192, 16),
  preset(256, 16),
  preset(320, 16),
  preset(128, 32),
  preset(192, 32),
  preset(256, 32),
  preset(320, 32),
  preset(320, 64),
  preset(192, 32, 32),
]);
