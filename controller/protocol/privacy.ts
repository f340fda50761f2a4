/**
 * The privacy gate's pure core: find personal numbers in notice text and mask
 * them with the one system-wide policy (DOMAIN.md, disclosure-rules.md §3).
 *
 * Isomorphic: the controller runs it before a version is approved, and the
 * admin app runs the same code to highlight hits while staff type.
 *
 * Matching runs on a width-folded copy of the text (full-width ASCII such as
 * `１３８` and the ideographic space become ASCII) whose UTF-16 length equals the
 * original's, so indices found in the copy are indices in the original.
 */

/** What a hit is. `id_card_legacy` is the 15-digit format issued before 1999. */
export type PiiKind = 'id_card' | 'id_card_legacy' | 'mobile' | 'bank_card' | 'email';

/** One unmasked personal value in a text. */
export interface PiiHit {
  kind: PiiKind;
  /** UTF-16 index of the first character in the scanned text. */
  start: number;
  /** UTF-16 index one past the last character: `text.slice(start, end)`. */
  end: number;
  /** The characters as written, separators and full-width digits included. */
  text: string;
  /** What the one masking policy replaces `text` with, always ASCII. */
  masked: string;
}

export interface ScanOptions {
  /** Latest plausible birth year of an ID holder; defaults to this year on the local clock. */
  currentYear?: number;
}

/** When candidates overlap, the earlier kind keeps the characters. */
const PRIORITY: readonly PiiKind[] = ['id_card', 'bank_card', 'id_card_legacy', 'mobile', 'email'];

const LABELS: Record<PiiKind, string> = {
  id_card: '身份证号 ID number',
  id_card_legacy: '15位身份证号 legacy ID number',
  mobile: '手机号 mobile number',
  bank_card: '银行卡号 bank card number',
  email: '电子邮箱 e-mail address',
};

// GB 11643-1999 / ISO 7064 MOD 11-2: W[i] = 2^(17-i) mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

/**
 * The GB 11643 check character for the first 17 digits of an ID number.
 *
 * @throws RangeError when `first17` is not 17 ASCII digits.
 * @example
 * idCheckCharacter('11010519491231002'); // 'X'
 */
export function idCheckCharacter(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('idCheckCharacter needs 17 ASCII digits');
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(first17.charAt(i)), 0);
  return ID_CHECK.charAt(sum % 11);
}

/**
 * Whether `id` is a plausible 18-digit mainland ID number: a valid check
 * character (lowercase `x` accepted) and a real birth date from 1900 to
 * `currentYear`. The standard's own example 440524188001010014 has a valid
 * check character but a birth year of 1880, so it is not plausible.
 *
 * @example
 * isValidIdNumber('11010519491231002x', 2026); // true
 */
export function isValidIdNumber(id: string, currentYear: number = new Date().getFullYear()): boolean {
  if (!/^[1-9][0-9]{16}[0-9Xx]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  if (year < EARLIEST_BIRTH_YEAR || year > currentYear) return false;
  return (
    isCalendarDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14))) &&
    idCheckCharacter(id.slice(0, 17)) === id.charAt(17).toUpperCase()
  );
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** A legacy ID is 6-digit area + YYMMDD (always 19YY) + 3-digit sequence, with no check character. */
function isLegacyIdNumber(id: string): boolean {
  return isCalendarDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit from the right; a two-digit product counts as its digit sum.
    const d = Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 1 : 2);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

const digitsOf = (value: string): string => value.replace(/[^0-9Xx]/g, '').toUpperCase();

/** Keeps `head` and `tail` characters and stars the rest. */
function keepEnds(value: string, head: number, tail: number): string {
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/** The one masking policy. `value` is width-folded and already known to be of `kind`. */
function maskAs(kind: PiiKind, value: string): string {
  switch (kind) {
    case 'id_card':
    case 'id_card_legacy':
    case 'bank_card':
      return keepEnds(digitsOf(value), 6, 4);
    case 'mobile':
      // The last 11 digits drop any +86/0086 prefix: one number, one masked form.
      return keepEnds(digitsOf(value).slice(-11), 3, 4);
    case 'email':
      return `${value.charAt(0)}***${value.slice(value.lastIndexOf('@'))}`;
  }
}

interface Detector {
  kind: PiiKind;
  /** Global, run on the width-folded text. Lookarounds make numbers stand alone. */
  pattern: RegExp;
  accept: (match: string, currentYear: number) => boolean;
}

const always = (): boolean => true;

// A number stands alone when no digit touches it. A separator does not end a
// run for grouped cards ("6222 0212 3456 7890 1234" is one 20-digit number),
// but it does for phones, which are often listed one after another.
const DETECTORS: readonly Detector[] = [
  { kind: 'id_card', pattern: /(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g, accept: isValidIdNumber },
  { kind: 'id_card_legacy', pattern: /(?<![0-9])[1-9][0-9]{14}(?![0-9])/g, accept: isLegacyIdNumber },
  {
    kind: 'mobile',
    pattern: /(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])/g,
    accept: always,
  },
  { kind: 'bank_card', pattern: /(?<![0-9])[0-9]{16,19}(?![0-9])/g, accept: (m) => isLuhnValid(m) },
  {
    kind: 'bank_card',
    pattern: /(?<![0-9][ -]?)[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?(?![ -]?[0-9])/g,
    accept: (m) => isLuhnValid(digitsOf(m)),
  },
  {
    // `*` may not touch the local part: `z***@example.com` is already masked.
    kind: 'email',
    pattern: /(?<![A-Za-z0-9._%+*-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g,
    accept: always,
  },
];

/** Full-width ASCII (U+FF01..FF5E, so also ＊ and ＋) and the ideographic space to ASCII, one code unit each. */
function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/**
 * Finds unmasked ID numbers (18-digit with a valid GB 11643 check character
 * and birth date, and 15-digit legacy ones), mobile numbers, Luhn-valid bank
 * card numbers and e-mail addresses in `text`. Full-width digits count.
 *
 * Hits are sorted by `start` and never overlap: where candidates share
 * characters, id_card > bank_card > id_card_legacy > mobile > email. A number
 * inside a longer digit run is not a hit, and neither is an already masked
 * value. Any 16–19 digit Luhn-valid number is reported as a card (one in ten
 * order numbers is), so callers let a reviewer override hits.
 *
 * @example
 * scanPii('户主电话13812345678。');
 * // [{ kind: 'mobile', start: 4, end: 15, text: '13812345678', masked: '138****5678' }]
 */
export function scanPii(text: string, options: ScanOptions = {}): PiiHit[] {
  const currentYear = options.currentYear ?? new Date().getFullYear();
  const folded = foldWidth(text);
  const candidates: PiiHit[] = [];
  for (const { kind, pattern, accept } of DETECTORS) {
    for (const match of folded.matchAll(pattern)) {
      if (!accept(match[0], currentYear)) continue;
      const start = match.index;
      const end = start + match[0].length;
      candidates.push({ kind, start, end, text: text.slice(start, end), masked: maskAs(kind, match[0]) });
    }
  }
  // Claim characters in priority order, so each belongs to at most one hit.
  const taken = new Uint8Array(text.length);
  const hits: PiiHit[] = [];
  candidates.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  for (const hit of candidates) {
    if (taken.subarray(hit.start, hit.end).includes(1)) continue;
    taken.fill(1, hit.start, hit.end);
    hits.push(hit);
  }
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * Replaces each hit with its masked form: IDs keep the first 6 and last 4
 * characters, mobiles the first 3 and last 4 digits (separators and +86
 * dropped), bank cards the first 6 and last 4 digits, e-mail addresses the
 * first character and the domain. Without `hits`, masks everything
 * {@link scanPii} finds, so `scanPii(maskPii(t))` is empty and masking twice
 * changes nothing. Pass a subset of hits to leave overridden ones as written.
 *
 * The masked form is recomputed from `kind` and the text, never read from
 * `hit.masked`, so stored or client-sent hits cannot change the policy.
 *
 * @throws RangeError when hits overlap or do not match `text` (hits of another text).
 * @example
 * maskPii('电话 138-1234-5678，邮箱 zhangsan@example.com');
 * // '电话 138****5678，邮箱 z***@example.com'
 */
export function maskPii(text: string, hits: readonly PiiHit[] = scanPii(text)): string {
  let out = '';
  let at = 0;
  for (const hit of [...hits].sort((a, b) => a.start - b.start)) {
    if (hit.start < at || text.slice(hit.start, hit.end) !== hit.text || hit.text === '') {
      throw new RangeError(`PII hit ${hit.start}..${hit.end} does not fit this text`);
    }
    out += text.slice(at, hit.start) + maskAs(hit.kind, foldWidth(hit.text));
    at = hit.end;
  }
  return out + text.slice(at);
}

/**
 * A short bilingual label for a hit, for reviewers and logs.
 *
 * @example
 * describeHit({ kind: 'mobile' }); // '手机号 mobile number'
 */
export function describeHit(hit: Pick<PiiHit, 'kind'>): string {
  return LABELS[hit.kind];
}
