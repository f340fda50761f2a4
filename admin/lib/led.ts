/** The editor's LED count and layout for one sign, from the same code the controller uses to drive signs. */
import { type LedLayout, type LedTextStats, type SignPreset, SIGN_PRESETS, layoutLedText, ledTextStats } from '@protocol';

/** Two lines of 12 characters: the most common strip at village committee doors. */
export const DEFAULT_SIGN: SignPreset = SIGN_PRESETS.find((p) => p.id === '192x32') ?? (SIGN_PRESETS[0] as SignPreset);

export interface LedReport {
  stats: LedTextStats;
  layout: LedLayout;
}

/** Null when this browser cannot decode GBK, so the charset cannot be checked. */
export function ledReport(text: string, preset: SignPreset): LedReport | null {
  try {
    return { stats: ledTextStats(text, preset.geometry, 'gb2312'), layout: layoutLedText(text, preset.geometry) };
  } catch {
    return null;
  }
}

/** The text the sign shows: the LED text, or the title when it is empty (as the controller stores it). */
export function effectiveLedText(ledText: string, title: string): string {
  return ledText.trim() === '' ? title.trim() : ledText.trim();
}
