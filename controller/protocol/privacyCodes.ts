/**
 * What Chinese numbers carry about themselves: the check characters and
 * structure of ID numbers (GB 11643), 统一社会信用代码 (GB 32100), 工商注册号
 * (GS 15-2006), bank cards (Luhn and issuer prefixes). The privacy scanner
 * uses them to tell a personal number from an ordinary one of the same length.
 */

// GB 11643-1999 / ISO 7064 MOD 11-2: W[i] = 2^(17-i) mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

/**
 * Province-level codes of GB/T 2260 that begin an ID number, plus 81/82/83 of
 * the residence permits for Hong Kong, Macao and Taiwan residents (2018).
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44',
  '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]); // prettier-ignore

/** Whether `code` (2 digits) is a province-level area code of GB/T 2260. */
export const isProvinceCode = (code: string): boolean => PROVINCES.has(code);

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

export function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** A birth date `YYYYMMDD` that is a real day from 1900 up to `today` (`YYYY-MM-DD`). */
function isBirthDate(yyyymmdd: string, today: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  if (year < EARLIEST_BIRTH_YEAR) return false;
  if (!isCalendarDate(year, Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)))) return false;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` <= today;
}

/**
 * Whether `id` (18 characters, no separators) is a plausible ID number: a real
 * province code, a real birth date from 1900 to `today`, and a valid check
 * character (lowercase `x` accepted). The foreign permanent resident's ID card
 * (2023) starts with 9 and puts the province in digits 2–3; its birth date and
 * check character sit where a citizen's do.
 *
 * @example
 * isPlausibleId('11010519491231002x', '2026-12-07'); // true
 * isPlausibleId('440524188001010014', '2026-12-07'); // false: born 1880, although the check character is right
 */
export function isPlausibleId(id: string, today: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9Xx]$/.test(id)) return false;
  const province = id.startsWith('9') ? id.slice(1, 3) : id.slice(0, 2);
  return (
    isProvinceCode(province) && isBirthDate(id.slice(6, 14), today) && idCheckCharacter(id.slice(0, 17)) === id.charAt(17).toUpperCase()
  );
}

/** 18 digits with an ID's province and birth date, whatever the last character. */
export const isIdShaped = (value: string, today: string): boolean =>
  value.length === 18 && isProvinceCode(value.slice(0, 2)) && isBirthDate(value.slice(6, 14), today);

/** A 15-digit ID (issued before 1999): province, 19YYMMDD, 3-digit sequence; no check character. */
export function isPlausibleLegacyId(id: string, today: string): boolean {
  return /^[1-9][0-9]{14}$/.test(id) && isProvinceCode(id.slice(0, 2)) && isBirthDate(`19${id.slice(6, 12)}`, today);
}

// GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^i mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Whether `code` is a 统一社会信用代码: an organisation category digit, the
 * area of registration (a province code, or 10 for national registrations)
 * and a valid GB 32100 check character.
 *
 * @example
 * isUscc('91350100M000100Y43'); // true (the standard's own example)
 */
export function isUscc(code: string): boolean {
  const upper = code.toUpperCase();
  if (upper.length !== 18 || !/^[1-9A-HJ-NPQRTUWXY][1-9]/.test(upper)) return false;
  if (upper.slice(2, 4) !== '10' && !isProvinceCode(upper.slice(2, 4))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARS.indexOf(upper.charAt(i));
    if (value < 0) return false;
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return upper.charAt(17) === USCC_CHARS.charAt((31 - (sum % 31)) % 31);
}

/**
 * The ISO 7064 MOD 11,10 check digit of a 工商注册号's first 14 digits (GS 15-2006).
 *
 * @example
 * businessRegCheckDigit('41132560000012'); // the 15th digit that makes it valid
 */
export function businessRegCheckDigit(first14: string): string {
  let p = 10;
  for (const c of first14) {
    const s = (p + Number(c)) % 10 || 10;
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

/** Whether `code` is a 15-digit 工商注册号 with a valid check digit. */
export function isBusinessRegNumber(code: string): boolean {
  return /^[0-9]{15}$/.test(code) && businessRegCheckDigit(code.slice(0, 14)) === code.charAt(14);
}

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit from the right; a two-digit product counts as its digit sum.
    const d = Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 1 : 2);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

/**
 * Issuer ranges of the cards Chinese banks issue, with the lengths used in
 * each: UnionPay 62 and the older 60/955 ranges (16–19 digits), and the
 * Visa (4), Mastercard (51–55, 2221–2720) and JCB (3528–3589) co-branded
 * cards, always 16 digits. An ID-shaped 18-digit number starting with 4 or
 * 5 is therefore never taken for a card.
 */
const ISSUERS: readonly { prefix: RegExp; lengths: readonly number[] }[] = [
  { prefix: /^6[02]/, lengths: [16, 17, 18, 19] },
  { prefix: /^955/, lengths: [16, 17, 18, 19] },
  { prefix: /^4/, lengths: [16] },
  { prefix: /^5[1-5]/, lengths: [16] },
  { prefix: /^(?:222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)/, lengths: [16] },
  { prefix: /^35(?:2[89]|[3-8][0-9])/, lengths: [16] },
];

/** Whether `digits` starts like, and is as long as, a card a Chinese bank issues. */
export const hasCardIssuer = (digits: string): boolean =>
  ISSUERS.some(({ prefix, lengths }) => prefix.test(digits) && lengths.includes(digits.length));
