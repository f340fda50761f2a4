/**
 * Read-aloud with the Web Speech API, in Mandarin only: a kiosk without a
 * zh-CN voice hides the button rather than read Chinese with an English
 * voice. Voices arrive asynchronously (Chromium fills the list after
 * `voiceschanged`), so the choice is re-made whenever the list changes.
 */
import { useEffect, useState } from 'preact/hooks';

/** The part of `speechSynthesis` the kiosk uses (a fake in tests). */
export interface SpeechEngine {
  getVoices: () => SpeechSynthesisVoice[];
  speak: (utterance: SpeechSynthesisUtterance) => void;
  cancel: () => void;
  addEventListener: (type: 'voiceschanged', listener: () => void) => void;
  removeEventListener: (type: 'voiceschanged', listener: () => void) => void;
}

/** The best Mandarin voice: zh-CN first, then other Mandarin-in-China tags; null if none. */
export function pickChineseVoice(voices: readonly SpeechSynthesisVoice[]): SpeechSynthesisVoice | null {
  const tag = (v: SpeechSynthesisVoice): string => v.lang.replace('_', '-').toLowerCase();
  return (
    voices.find((v) => tag(v) === 'zh-cn' && v.localService) ??
    voices.find((v) => tag(v) === 'zh-cn') ??
    voices.find((v) => /^(cmn|zh)(-hans)?-cn$/.test(tag(v))) ??
    null
  );
}

export function browserSpeech(): SpeechEngine | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'
    ? window.speechSynthesis
    : null;
}

/** The zh-CN voice of `engine`, updated when the voice list changes. */
export function useChineseVoice(engine: SpeechEngine | null): SpeechSynthesisVoice | null {
  const [voice, setVoice] = useState<SpeechSynthesisVoice | null>(() => (engine ? pickChineseVoice(engine.getVoices()) : null));
  useEffect(() => {
    if (!engine) return;
    const update = (): void => setVoice(pickChineseVoice(engine.getVoices()));
    update();
    engine.addEventListener('voiceschanged', update);
    return () => engine.removeEventListener('voiceschanged', update);
  }, [engine]);
  return voice;
}

/** Reads `text` with `voice`; `onEnd` runs when it finishes or is stopped. Never throws. */
export function speak(engine: SpeechEngine, voice: SpeechSynthesisVoice, text: string, onEnd: () => void): void {
  try {
    engine.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    // A little slower than the default, for elderly listeners.
    utterance.rate = 0.85;
    utterance.onend = onEnd;
    utterance.onerror = onEnd;
    engine.speak(utterance);
  } catch {
    onEnd();
  }
}
