/**
 * What every driver shares: the status it reports, its listeners, the charset
 * check before anything is sent, and laying text out for the sign's geometry.
 */
import {
  type DisplayEndReason,
  type ProofLevel,
  type SignContent,
  type SignEvent,
  type SignStatus,
  emptyCounters,
} from '../domain/signs.js';
import { layoutLedText, unsupportedChars } from '../protocol/ledText.js';
import type { SignProfile } from '../protocol/signProfile.js';
import { SignCharsetError, SignError } from './errors.js';

export class DriverCore {
  readonly listeners = new Set<(event: SignEvent) => void>();
  readonly st: SignStatus;

  constructor(
    readonly id: string,
    readonly now: () => number,
  ) {
    this.st = {
      signId: id,
      link: 'stopped',
      reachable: true,
      lastAckAt: null,
      showing: null,
      pending: null,
      desired: null,
      power: true,
      brightness: 15,
      counters: emptyCounters(),
      lastError: null,
    };
  }

  emit(event: SignEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: SignEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SignStatus {
    return structuredClone(this.st);
  }

  /**
   * Sends a show or clear: marked pending until `deliver` resolves, so a change the sign never
   * acknowledged is reported as such, beside what it last acknowledged, instead of as done.
   */
  async change<T>(pending: { change: 'show'; key: string; text: string } | { change: 'clear' }, deliver: () => Promise<T>): Promise<T> {
    const mark = { ...pending, since: this.now() };
    this.st.pending = mark;
    const result = await deliver();
    if (this.st.pending === mark) this.st.pending = null;
    return result;
  }

  displayed(content: SignContent, proof: ProofLevel, at: number): void {
    this.st.showing = { key: content.key, text: content.text, proof, since: at };
    if (this.st.power) this.emit({ type: 'displayed', signId: this.id, key: content.key, text: content.text, proof, at });
  }

  ended(reason: Exclude<DisplayEndReason, 'replaced'>, at: number): void {
    if (this.st.showing && (this.st.power || reason !== 'power-off')) this.emit({ type: 'cleared', signId: this.id, at, reason });
    if (reason !== 'power-off') this.st.showing = null;
  }

  failed(error: unknown): void {
    const code = error instanceof SignError ? error.code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    const at = this.now();
    this.st.lastError = { code, message, at };
    this.emit({ type: 'error', signId: this.id, at, code, message });
  }

  setReachable(reachable: boolean): void {
    if (this.st.reachable === reachable) return;
    this.st.reachable = reachable;
    const at = this.now();
    // A silent sign keeps showing what it last acknowledged: `showing` stays, the ledger's interval ends (unreachable).
    this.emit({ type: 'reachable', signId: this.id, reachable, at });
  }
}

/** Throws {@link SignCharsetError} listing every character the sign's font lacks, by position. */
export function checkCharset(text: string, charset: SignProfile['charset']): void {
  const unsupported = unsupportedChars(text, charset);
  if (unsupported.length > 0) throw new SignCharsetError(charset, unsupported);
}

export function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 15)
    throw new SignError('invalid_argument', `brightness must be an integer 0–15, got ${level}`);
}

/**
 * Text as the card should receive it. Pages: the project's own wrap (禁则 and
 * all) with every line padded with spaces to the full width, so the card's
 * plain auto-wrap breaks exactly where ours did. Scroll: one line, paragraphs
 * joined by a full-width space.
 */
export function signText(content: SignContent, profile: Pick<SignProfile, 'widthPx' | 'heightPx'>): string {
  if (content.layout === 'scroll')
    return content.text
      .split(/\r\n|\r|\n/)
      .filter((p) => p !== '')
      .join('　');
  const layout = layoutLedText(content.text, { widthPx: profile.widthPx, heightPx: profile.heightPx, fontPx: 16 });
  return layout.lines
    .map((line) => {
      let units = 0;
      for (let i = 0; i < line.length; i++) {
        const unit = line.charCodeAt(i);
        if (unit >= 0xdc00 && unit <= 0xdfff) continue; // the second half of a pair was counted with the first
        units += unit >= 0x20 && unit <= 0x7e ? 1 : 2;
      }
      return line + ' '.repeat(Math.max(0, layout.unitsPerLine - units));
    })
    .join('');
}
