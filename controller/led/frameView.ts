/**
 * What the admin's live dot-matrix view shows for one sign: the emulator's own
 * framebuffer for an emulated sign, otherwise the content the sign last
 * acknowledged (or was sent, EQ), rendered the way the card lays it out.
 */
import type { SignStatus } from '../domain/signs.js';
import type { SignFrameView, SignProfile } from '../protocol/signProfile.js';
import { signText } from './driverCore.js';
import type { GlyphSource } from './emulator/font.js';
import { type Framebuffer, renderFrame } from './emulator/render.js';
import type { SignEmulator } from './emulator/signEmulator.js';

function rowsOf(fb: Framebuffer | null): string[] | null {
  if (!fb) return null;
  return Array.from({ length: fb.height }, (_, y) => Array.from(fb.pixels.subarray(y * fb.width, (y + 1) * fb.width)).join(''));
}

export function signFrameView(
  profile: SignProfile,
  status: SignStatus,
  emulator: SignEmulator | null,
  font: GlyphSource | null,
  at: number,
): SignFrameView {
  const { widthPx: width, heightPx: height } = profile;
  if (emulator) return { width, height, rows: rowsOf(emulator.frameAt(at)), text: emulator.visible(at), source: 'emulator' };
  const { showing } = status;
  // A clear not acknowledged yet: the sign still shows the last acknowledged text, laid out as pages.
  const desired =
    status.desired ??
    (showing && { key: showing.key, text: showing.text, layout: 'pages' as const, stayTimeSec: 3, speed: 4, colour: 'red' as const });
  if (!showing || !desired || !status.power) {
    return {
      width,
      height,
      rows: font ? rowsOf(renderFrame({ width, height, areas: [], power: false }, font, at)) : null,
      text: [],
      source: 'last-acknowledged',
    };
  }
  const area = {
    id: 0,
    x: 0,
    y: 0,
    width,
    height,
    text: signText(desired, profile),
    layout: desired.layout,
    stayMs: desired.stayTimeSec * 1000,
    pxMs: (desired.speed + 1) * 8,
    updatedAt: showing.since,
  };
  return {
    width,
    height,
    rows: font ? rowsOf(renderFrame({ width, height, areas: [area], power: true }, font, at)) : null,
    text: [showing.text],
    source: 'last-acknowledged',
  };
}
