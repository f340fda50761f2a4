/**
 * What an emulated sign shows at a moment: a 1-bit framebuffer drawn with a
 * 16-pixel font, laid out the way a font card does it (auto-wrap by width,
 * hanzi 16 px and ASCII 8 px wide, pages by StayTime, a left scroll by Speed).
 * Deterministic in `t`, so tests and the admin's live view agree.
 */
import type { GlyphSource } from './font.js';

export interface AreaView {
  id: number;
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  /** Pages of lines (multi-line) or one line scrolling. */
  layout: 'pages' | 'scroll';
  /** ms each page stays. */
  stayMs: number;
  /** ms per pixel of scroll. */
  pxMs: number;
  updatedAt: number;
}

export interface Framebuffer {
  width: number;
  height: number;
  /** One byte per pixel, row-major: 1 = LED lit. */
  pixels: Uint8Array;
}

const FONT_PX = 16;

function unitsOf(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  return cp >= 0x20 && cp <= 0x7e ? 1 : 2;
}

/** The card's auto-wrap: break where the next character would not fit, and at explicit line breaks. */
export function wrapLines(text: string, widthPx: number): string[] {
  const unitsPerLine = Math.max(1, Math.floor(widthPx / (FONT_PX / 2)));
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    let used = 0;
    for (const char of paragraph) {
      const w = unitsOf(char);
      if (used + w > unitsPerLine && line !== '') {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += char;
      used += w;
    }
    lines.push(line);
  }
  return lines;
}

export function pagesOf(area: Pick<AreaView, 'text' | 'width' | 'height'>): string[][] {
  const lines = wrapLines(area.text, area.width).map((l) => l.replace(/\s+$/u, ''));
  const perPage = Math.max(1, Math.floor(area.height / FONT_PX));
  const pages: string[][] = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));
  while (pages.length > 1 && pages[pages.length - 1]?.every((l) => l === '')) pages.pop();
  return pages.length > 0 ? pages : [[]];
}

/** The lines visible at `t` (the scroll shows its whole line). */
export function visibleText(area: AreaView, t: number): string[] {
  if (area.layout === 'scroll') return [area.text.replace(/\r?\n/g, ' ')];
  const pages = pagesOf(area);
  const index = Math.floor(Math.max(0, t - area.updatedAt) / Math.max(1, area.stayMs)) % pages.length;
  return pages[index] ?? [];
}

function drawText(
  fb: Framebuffer,
  font: GlyphSource,
  text: string,
  x0: number,
  y0: number,
  clip: { x: number; y: number; w: number; h: number },
): number {
  let x = x0;
  for (const char of text) {
    const glyph = font.glyph(char.codePointAt(0) ?? 0);
    const width = glyph?.width ?? unitsOf(char) * 8;
    if (glyph) {
      for (let gy = 0; gy < 16; gy++) {
        const row = glyph.rows[gy] ?? 0;
        const py = y0 + gy;
        if (py < clip.y || py >= clip.y + clip.h || py >= fb.height) continue;
        for (let gx = 0; gx < width; gx++) {
          const px = x + gx;
          if (px < clip.x || px >= clip.x + clip.w || px >= fb.width || px < 0) continue;
          if ((row >> (width - 1 - gx)) & 1) fb.pixels[py * fb.width + px] = 1;
        }
      }
    }
    x += width;
  }
  return x - x0;
}

/** Width in pixels of `text` in a 16-px font. */
export function textWidthPx(text: string): number {
  let units = 0;
  for (const char of text) units += unitsOf(char);
  return units * (FONT_PX / 2);
}

/**
 * Draws every area at time `t`.
 *
 * @example
 * const fb = renderFrame({ width: 192, height: 32, areas, power: true }, font, Date.now());
 */
export function renderFrame(
  sign: { width: number; height: number; areas: readonly AreaView[]; power: boolean },
  font: GlyphSource,
  t: number,
): Framebuffer {
  const fb: Framebuffer = { width: sign.width, height: sign.height, pixels: new Uint8Array(sign.width * sign.height) };
  if (!sign.power) return fb;
  for (const area of sign.areas) {
    const clip = { x: area.x, y: area.y, w: area.width, h: area.height };
    if (area.layout === 'scroll') {
      const line = area.text.replace(/\r?\n/g, ' ');
      const span = textWidthPx(line) + area.width;
      const shift = Math.floor(Math.max(0, t - area.updatedAt) / Math.max(1, area.pxMs)) % Math.max(1, span);
      drawText(fb, font, line, area.x + area.width - shift, area.y, clip);
    } else {
      visibleText(area, t).forEach((line, i) => drawText(fb, font, line, area.x, area.y + i * FONT_PX, clip));
    }
  }
  return fb;
}

/** ASCII art for logs and test failures: `#` lit, `.` dark. */
export function framebufferToText(fb: Framebuffer): string {
  const rows: string[] = [];
  for (let y = 0; y < fb.height; y++) {
    let row = '';
    for (let x = 0; x < fb.width; x++) row += fb.pixels[y * fb.width + x] ? '#' : '.';
    rows.push(row);
  }
  return rows.join('\n');
}

export function litPixels(fb: Framebuffer): number {
  let n = 0;
  for (const p of fb.pixels) n += p;
  return n;
}
