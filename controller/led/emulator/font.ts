/**
 * A 16-pixel bitmap font for the emulator's framebuffer: GNU Unifont, read at
 * run time from where Debian's `unifont` package installs it (the font is
 * GPL-2+ and is not committed here; led-protocols.md §2). Format: one glyph a
 * line, `CODEPOINT:HEX`, 32 hex digits = 8×16, 64 = 16×16, MSB = left pixel.
 */
import { existsSync, readFileSync } from 'node:fs';

export const UNIFONT_PATH = '/usr/share/unifont/unifont.hex';

export interface Glyph {
  width: 8 | 16;
  /** 16 rows; bit (width − 1 − x) of row y is pixel (x, y). */
  rows: Uint16Array;
}

export interface GlyphSource {
  readonly name: string;
  glyph(codePoint: number): Glyph | null;
}

/** Parsed fonts by path: immutable derived data, read once. */
const loaded = new Map<string, GlyphSource | null>();

function parseHexFont(path: string, text: string): GlyphSource {
  const hexByCode = new Map<number, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    hexByCode.set(Number.parseInt(line.slice(0, colon), 16), line.slice(colon + 1).trim());
  }
  const glyphs = new Map<number, Glyph | null>();
  return {
    name: path,
    glyph(codePoint) {
      const cached = glyphs.get(codePoint);
      if (cached !== undefined) return cached;
      const hex = hexByCode.get(codePoint);
      let glyph: Glyph | null = null;
      if (hex && (hex.length === 32 || hex.length === 64)) {
        const width = hex.length === 32 ? 8 : 16;
        const step = width / 4;
        const rows = new Uint16Array(16);
        for (let y = 0; y < 16; y++) rows[y] = Number.parseInt(hex.slice(y * step, (y + 1) * step), 16);
        glyph = { width, rows };
      }
      glyphs.set(codePoint, glyph);
      return glyph;
    },
  };
}

/**
 * GNU Unifont from `path`, or null when it is not installed (the emulator then
 * reports the text it holds instead of pixels).
 *
 * @example
 * const font = loadUnifont(); // null without `apt-get install unifont`
 */
export function loadUnifont(path = UNIFONT_PATH): GlyphSource | null {
  if (loaded.has(path)) return loaded.get(path) ?? null;
  const font = existsSync(path) ? parseHexFont(path, readFileSync(path, 'latin1')) : null;
  loaded.set(path, font);
  return font;
}
