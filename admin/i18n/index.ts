/**
 * Every word the admin app shows, in Chinese (default) and English. Components
 * read them through {@link useI18n}; nothing else holds UI text.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en';
import { knownFieldMessage } from './fieldMessages';
import { type Dictionary, zh } from './zh';

export type { Dictionary } from './zh';
export type Locale = 'zh' | 'en';

export const DICTIONARIES: Record<Locale, Dictionary> = { zh, en };

/** `english text (中文)`, as the controller and the protocol write bilingual messages. */
const BILINGUAL = /^(.*\S)\s*\(([^()]*\p{Script=Han}[^()]*)\)$/u;

/**
 * A field error or controller message as the reader should see it: a known
 * message in the reader's language, the matching half of a bilingual
 * `english (中文)` message, else the message as sent.
 *
 * @example
 * fieldMessage(zh, 'wrong password (当前密码不正确)'); // '当前密码不正确'
 * fieldMessage(en, 'wrong password (当前密码不正确)'); // 'wrong password'
 */
export function fieldMessage(t: Dictionary, message: string): string {
  const known = knownFieldMessage(message, t.locale === 'en' ? 'en' : 'zh');
  if (known !== undefined) return known;
  const bilingual = BILINGUAL.exec(message);
  if (bilingual) return (t.locale === 'en' ? bilingual[1] : bilingual[2]) ?? message;
  return message;
}

export interface I18n {
  locale: Locale;
  t: Dictionary;
  setLocale: (locale: Locale) => void;
}

export const I18nContext = createContext<I18n>({ locale: 'zh', t: zh, setLocale: () => undefined });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
