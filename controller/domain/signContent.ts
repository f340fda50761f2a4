/**
 * What an LED sign should show, as pure functions of its playlist and the
 * time: rotation through the active items by their durations, emergencies
 * interrupting at once with their level word (红色预警（一级）…), night
 * brightness and on/off hours from the sign's profile.
 */
import { EMERGENCY_LEVEL_WORDS, type Playlist, type PlaylistItem, activeItems, unsupportedChars } from '../protocol/index.js';
import type { SignProfile } from '../protocol/signProfile.js';
import type { SignColour, SignContent } from './signs.js';

export interface RotationState {
  /** Key of the item on screen, and since when. */
  key: string | null;
  since: number;
}

export const IDLE_ROTATION: RotationState = { key: null, since: 0 };

export interface SignItem {
  key: string;
  text: string;
  durationSec: number;
  emergency: boolean;
  colour: SignColour;
}

const EMERGENCY_COLOURS: Record<string, SignColour> = { red: 'red', orange: 'yellow', yellow: 'yellow', blue: 'green' };

/**
 * The items a sign can show now, emergencies only when there are any. An
 * item's LED text falls back to its title; an item with characters the sign's
 * font lacks is left out and reported (the editor warned when it was written).
 */
export function signItems(
  playlist: Playlist,
  ledTextOf: (item: PlaylistItem) => string,
  charset: SignProfile['charset'],
  now: number,
): { items: SignItem[]; refused: { key: string; chars: string[] }[] } {
  const active = activeItems(playlist, now);
  const emergencies = active.filter((i) => i.emergency);
  const pool = emergencies.length > 0 ? emergencies : active;
  const items: SignItem[] = [];
  const refused: { key: string; chars: string[] }[] = [];
  for (const item of pool) {
    const base = (ledTextOf(item).trim() || item.title).replace(/\s*\n\s*/g, '\n');
    let text = base;
    let colour: SignColour = 'red';
    if (item.emergency) {
      const words = EMERGENCY_LEVEL_WORDS[item.emergency.level];
      text = `${words.colour}预警（${words.grade}）${base}`;
      colour = EMERGENCY_COLOURS[item.emergency.level] ?? 'red';
    }
    const bad = unsupportedChars(text, charset);
    if (bad.length > 0) {
      refused.push({ key: item.contentHash, chars: bad.map((b) => b.char) });
      continue;
    }
    items.push({ key: item.contentHash, text, durationSec: item.durationSec, emergency: item.emergency !== null, colour });
  }
  return { items, refused };
}

/**
 * The next rotation step: keep the current item until its duration is over,
 * then the next one in playlist order; an emergency that is not on screen
 * replaces anything else at once.
 */
export function nextRotation(
  items: readonly SignItem[],
  state: RotationState,
  now: number,
): { state: RotationState; item: SignItem | null } {
  if (items.length === 0) return { state: IDLE_ROTATION, item: null };
  const index = items.findIndex((i) => i.key === state.key);
  const current = items[index];
  if (current && now - state.since < current.durationSec * 1000) return { state, item: current };
  const next = items[(index + 1) % items.length] ?? items[0];
  if (!next) return { state: IDLE_ROTATION, item: null };
  return { state: { key: next.key, since: now }, item: next };
}

export function toSignContent(item: SignItem, profile: Pick<SignProfile, 'layout'>): SignContent {
  return { key: item.key, text: item.text, layout: profile.layout, stayTimeSec: 4, speed: 4, colour: item.colour };
}

function minutesOf(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Minutes since local midnight (China Standard Time by default). */
export function localMinute(now: number, utcOffsetMinutes = 480): number {
  const local = now + utcOffsetMinutes * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** Whether `minute` falls in [from, to), across midnight when to < from. */
function inWindow(minute: number, from: string, to: string): boolean {
  const a = minutesOf(from);
  const b = minutesOf(to);
  return a <= b ? minute >= a && minute < b : minute >= a || minute < b;
}

/** Screen on/off and brightness the profile asks for at `now`. */
export function signSchedule(profile: Pick<SignProfile, 'onHours' | 'brightness'>, now: number): { power: boolean; brightness: number } {
  const minute = localMinute(now);
  const power = profile.onHours ? inWindow(minute, profile.onHours.on, profile.onHours.off) : true;
  const night = inWindow(minute, profile.brightness.nightFrom, profile.brightness.nightTo);
  return { power, brightness: night ? profile.brightness.night : profile.brightness.day };
}
