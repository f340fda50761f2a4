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
import { hasCardIssuer, isBusinessRegNumber, isIdShaped, isLuhnValid, isPlausibleId, isPlausibleLegacyId, isUscc } from './privacyCodes.js';

export { idCheckCharacter, isBusinessRegNumber, isUscc } from './privacyCodes.js';

/**
 * Whether `id` is a plausible 18-digit ID number born by the end of
 * `currentYear` (see {@link isPlausibleId}).
 *
 * @example
 * isValidIdNumber('11010519491231002x', 2026); // true
 */
export function isValidIdNumber(id: string, currentYear: number = new Date().getFullYear()): boolean {
  return isPlausibleId(id, `${currentYear}-12-31`);
}

/** What a hit is. `id_card_legacy` is the 15-digit format issued before 1999. */
export type PiiKind = 'id_card' | 'id_card_legacy' | 'mobile' | 'bank_card' | 'email';

/**
 * Why a value was flagged, so a reviewer can judge an ambiguous hit:
 *
 * - `id_check`: 18 characters with a real province, a real birth date and the GB 11643 check character.
 * - `id_or_uscc`: all that, and also a valid 统一社会信用代码; no label says which it is.
 * - `legacy_date`: 15 digits with a real province and birth date (the old format has no check character).
 * - `legacy_or_business_reg`: that, and also a valid 工商注册号 check digit; no label says which it is, and it stands
 *   by a person (a name right before it, or a text about people: 户主, 村民, 性别, 家庭人口…).
 * - `card_issuer`: Luhn-valid, with the prefix and length of a card Chinese banks issue.
 * - `card_context`: Luhn-valid, right after 卡号/账号/银行卡/开户….
 * - `mobile`: 11 digits 1[3-9]…, separators and +86 allowed.
 * - `email`: an e-mail address.
 */
export type PiiReason =
  'id_check' | 'id_or_uscc' | 'legacy_date' | 'legacy_or_business_reg' | 'card_issuer' | 'card_context' | 'mobile' | 'email';

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
  /** Why it was flagged (see {@link PiiReason}). */
  reason: PiiReason;
}

export interface ScanOptions {
  /** Latest plausible birth year of an ID holder; defaults to this year on the local clock. */
  currentYear?: number;
  /** Latest plausible birth date, `YYYY-MM-DD`; beats `currentYear`. */
  today?: string;
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

const NAMES: Record<PiiKind, { zh: string; en: string }> = {
  id_card: { zh: '身份证号', en: 'ID number' },
  id_card_legacy: { zh: '15位身份证号', en: 'legacy ID number' },
  mobile: { zh: '手机号', en: 'mobile number' },
  bank_card: { zh: '银行卡号', en: 'bank card number' },
  email: { zh: '电子邮箱', en: 'e-mail address' },
};

const REASONS: Record<PiiReason, { zh: string; en: string }> = {
  id_check: { zh: '地区码、出生日期、校验码均有效', en: 'valid region, birth date and check character' },
  id_or_uscc: {
    zh: '同时符合身份证号和统一社会信用代码校验，前后文未说明是信用代码',
    en: 'valid both as an ID number and as a unified social credit code; nothing near it says it is a credit code',
  },
  legacy_date: { zh: '地区码和出生日期有效（旧号无校验码）', en: 'valid region and birth date (the old format has no check digit)' },
  legacy_or_business_reg: {
    zh: '既像15位身份证号，也符合工商注册号校验；它挨着人名或文中说的是个人（户主、村民、性别等），又未注明是注册号',
    en: 'reads as a 15-digit ID and also passes the business registration number check; it stands by a name or in a text about people, and nothing says it is a registration number',
  },
  card_issuer: { zh: 'Luhn校验有效，且为国内银行卡号段和长度', en: 'Luhn-valid, with the prefix and length of a card Chinese banks issue' },
  card_context: { zh: 'Luhn校验有效，且紧随“卡号/账号/开户”等字样', en: 'Luhn-valid, right after 卡号/账号/开户 (card or account)' },
  mobile: { zh: '1开头的11位手机号码', en: '11 digits starting 13–19' },
  email: { zh: '电子邮箱地址', en: 'an e-mail address' },
};

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

/** What a detector sees: the width-folded text, where the match is, and the date that bounds birth dates. */
interface Candidate {
  folded: string;
  start: number;
  match: string;
  today: string;
}

interface Detector {
  kind: PiiKind;
  /** Global, run on the width-folded text. Lookarounds make numbers stand alone. */
  pattern: RegExp;
  /** Why the match is personal data, or null when it is not. */
  accept: (candidate: Candidate) => PiiReason | null;
}

// Words that say what the number right after them is. "Near" is the 16
// characters before a number (a label and its colon); "the text" is all of it,
// for table rows whose label is the column header.
const NEAR = 16;
const CARD_WORDS = /(?:卡号|账号|帐号|银行卡|开户|账户|帐户|存折|一卡通|社保卡|卡)[^0-9]*$/;
/** An account the town or a company publishes for payments is not a person's. */
const PUBLIC_ACCOUNT_WORDS = /对公|单位|专户|基本户|财政|政府|委员会|公司/;
const ID_WORDS = /身份证|证件号|公民身份|身份号码/;
const USCC_WORDS = /统一社会信用代码|信用代码|社会信用|营业执照|纳税人识别号|税号|机构代码/;
const BUSINESS_REG_WORDS = /注册号|营业执照|执照|工商|企业|公司|个体|字第/;
const nearBefore = ({ folded, start }: Candidate): string => folded.slice(Math.max(0, start - NEAR), start);
/** A label that names a number as a code, right before it: no person's number follows 订单号 or 地块编码. */
const CODE_LABEL = /(?:订单号|单号|流水号|编码|代码|合同号|合同编号|注册号|批次号|发票号码?|宗地号|文号)[:：]?\s*$/;
const labelledCode = (c: Candidate): boolean => CODE_LABEL.test(nearBefore(c));

/**
 * What the words around a number that is valid both as personal data and as a
 * registration code say it is: a label right before it decides; with none, a
 * text that names the code and never an ID reads it as the code.
 */
function labelOf(c: Candidate, codeWords: RegExp): 'id' | 'code' | 'unknown' {
  const near = nearBefore(c);
  if (ID_WORDS.test(near)) return 'id';
  if (codeWords.test(near)) return 'code';
  return codeWords.test(c.folded) && !ID_WORDS.test(c.folded) ? 'code' : 'unknown';
}

/**
 * Signs that a text is about people: the words of a relief list or a register of villagers, and a sex column.
 * A 15-digit number valid both as a legacy ID and as a 工商注册号 is taken for a person's only beside them.
 */
const PERSON_WORDS =
  /姓名|户主|户名|村民|居民|农户|家庭|人口|性别|出生|年龄|岁|申请人|本人|配偶|子女|低保|特困|五保|救助|残疾|老人|学生|社员|成员|(?:^|[\s，,、|;；（(])[男女](?=$|[\s，,、|;；）)])/;
/**
 * A personal name standing right before the number: one of the common surnames that most villagers bear, and one
 * or two more hanzi, set off by a space, a comma or a bracket (not a label's colon: `金额：` is no name).
 */
const NAME_BEFORE =
  /(?:^|[\s，,、|;；（(])[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][\u4e00-\u9fff]{1,2}[\s，,、（(]+$/;

/**
 * A 15-digit number that is both a plausible legacy ID and a valid 工商注册号: a label right before it decides; else
 * a person beside it (a name, or a text about people) makes it a person's; else it is the registration number. The
 * 15-digit ID went out of use (GB 11643-1999 replaced it, and the first-generation card ceased to be valid on
 * 2013-01-01), the registration number stays on every licence issued before 2015's credit codes, and a notice that
 * lists people names them. One legacy ID in ten passes the MOD 11,10 check by chance; those, printed with no name
 * and no word about anyone, are the price of not crying wolf at every licence number.
 */
function legacyOrRegistration(c: Candidate): 'id' | 'code' | 'ambiguous' {
  const near = nearBefore(c);
  if (ID_WORDS.test(near)) return 'id';
  if (BUSINESS_REG_WORDS.test(near)) return 'code';
  if (NAME_BEFORE.test(near) || PERSON_WORDS.test(c.folded))
    return ID_WORDS.test(c.folded) || !BUSINESS_REG_WORDS.test(c.folded) ? 'ambiguous' : 'code';
  return 'code';
}

// Separators inside a grouped number: spaces, hyphens and dashes of every
// width (full-width ones are folded to ASCII first).
const DASHES = '\\-\\u2010-\\u2015\\u2212';
const S = `[ ${DASHES}]?`;
const MOBILE_S = `[ .\\u00b7${DASHES}]?`;

// A number stands alone when no digit touches it, nor a letter after it (a
// contract code 承包合同代码 is an 18-digit number with a J). A separator does
// not end a run for grouped cards ("6222 0212 3456 7890 1234" is one 20-digit
// number), but it does for phones, which are often listed one after another.
const DETECTORS: readonly Detector[] = [
  {
    kind: 'id_card',
    pattern: new RegExp(`(?<![0-9])[1-9][0-9]{5}${S}[0-9]{4}${S}[0-9]{4}${S}[0-9]{3}[0-9Xx](?![0-9A-Za-z])`, 'g'),
    accept: (c) => {
      const id = digitsOf(c.match);
      if (!isPlausibleId(id, c.today)) return null;
      const label = isUscc(id) ? labelOf(c, USCC_WORDS) : 'id';
      return label === 'id' ? 'id_check' : label === 'code' ? null : 'id_or_uscc';
    },
  },
  {
    kind: 'id_card_legacy',
    pattern: new RegExp(`(?<![0-9])[1-9][0-9]{5}${S}[0-9]{6}${S}[0-9]{3}(?![0-9A-Za-z])`, 'g'),
    accept: (c) => {
      const id = digitsOf(c.match);
      if (!isPlausibleLegacyId(id, c.today)) return null;
      const label = isBusinessRegNumber(id) ? legacyOrRegistration(c) : 'id';
      return label === 'id' ? 'legacy_date' : label === 'code' ? null : 'legacy_or_business_reg';
    },
  },
  {
    kind: 'mobile',
    pattern: new RegExp(`(?<![0-9])(?:(?:\\+|00)?86${MOBILE_S})?1[3-9][0-9](?:${MOBILE_S}[0-9]{4}){2}(?![0-9A-Za-z])`, 'g'),
    accept: () => 'mobile',
  },
  { kind: 'bank_card', pattern: /(?<![0-9])[0-9]{16,19}(?![0-9A-Za-z])/g, accept: cardReason },
  // Grouped in fours: a tail group of 1–3 digits belongs to the card only if
  // the whole is a card ("…7511 4人" is a 16-digit card and a household size).
  { kind: 'bank_card', pattern: groupedCard(`\\1[0-9]{1,3}(?![0-9])(?![ ${DASHES}][0-9]{4})`), accept: cardReason },
  { kind: 'bank_card', pattern: groupedCard(`(?![ ${DASHES}]?[0-9]{4})`), accept: cardReason },
  {
    // `*` may not touch the local part: `z***@example.com` is already masked.
    kind: 'email',
    pattern: /(?<![A-Za-z0-9._%+*-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g,
    accept: () => 'email',
  },
];

function groupedCard(tail: string): RegExp {
  return new RegExp(`(?<![0-9][ ${DASHES}]?)[0-9]{4}([ ${DASHES}])[0-9]{4}\\1[0-9]{4}\\1[0-9]{4}${tail}`, 'g');
}

/**
 * A card is Luhn-valid and in a Chinese bank's issuer range, or Luhn-valid and
 * labelled as a card or account (but not a 统一社会信用代码, nor a public account).
 */
function cardReason(c: Candidate): PiiReason | null {
  const digits = digitsOf(c.match);
  if (!isLuhnValid(digits)) return null;
  // 62 is also 甘肃's area code: an ID-shaped 18-digit number with a wrong check
  // character is a mistyped ID or a code, a card only when labelled as one.
  if (hasCardIssuer(digits) && !isIdShaped(digits, c.today)) return 'card_issuer';
  const near = nearBefore(c);
  return CARD_WORDS.test(near) && !PUBLIC_ACCOUNT_WORDS.test(near) && !isUscc(digits) ? 'card_context' : null;
}

/** Full-width ASCII (U+FF01..FF5E, so also ＊ and ＋) and the ideographic space to ASCII, one code unit each. */
function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

function todayOf(options: ScanOptions): string {
  if (options.today !== undefined) return options.today;
  if (options.currentYear !== undefined) return `${options.currentYear}-12-31`;
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/**
 * Finds unmasked personal numbers in `text`: ID numbers (18 characters with a
 * real province, birth date and GB 11643 check character; 15-digit legacy ones
 * with a real province and birth date), mobile numbers, bank cards (Luhn-valid
 * with a Chinese bank's issuer range, or labelled 卡号/账号…) and e-mail
 * addresses. Full-width digits count, and so do numbers written in groups
 * (`411325 19820315 4518`, `138.1234.5678`, `138—1234—5678`).
 *
 * Ordinary numbers of the same lengths are left alone by what they carry: a
 * wrong check character, a 统一社会信用代码 (GB 32100 check), a 工商注册号
 * (MOD 11,10 check), an order or plot number without a card's issuer range.
 * Where a number is valid both ways (a 15-digit one that is a plausible legacy
 * ID and a valid 工商注册号), the label before it decides; without one it is
 * flagged and `reason` says why.
 *
 * Hits are sorted by `start` and never overlap: where candidates share
 * characters, id_card > bank_card > id_card_legacy > mobile > email. A number
 * inside a longer digit run is not a hit, and neither is an already masked
 * value.
 *
 * @example
 * scanPii('户主电话13812345678。');
 * // [{ kind: 'mobile', start: 4, end: 15, text: '13812345678', masked: '138****5678', reason: 'mobile' }]
 */
export function scanPii(text: string, options: ScanOptions = {}): PiiHit[] {
  const today = todayOf(options);
  const folded = foldWidth(text);
  const candidates: PiiHit[] = [];
  for (const { kind, pattern, accept } of DETECTORS) {
    for (const found of folded.matchAll(pattern)) {
      const start = found.index;
      const candidate = { folded, start, match: found[0], today };
      const reason = kind === 'email' || !labelledCode(candidate) ? accept(candidate) : null;
      if (reason === null) continue;
      const end = start + found[0].length;
      candidates.push({ kind, start, end, text: text.slice(start, end), masked: maskAs(kind, found[0]), reason });
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
 * A short label for a hit: in the reader's language, or bilingual for logs.
 *
 * @example
 * describeHit({ kind: 'mobile' }); // '手机号 mobile number'
 * describeHit({ kind: 'mobile' }, 'zh'); // '手机号'
 */
export function describeHit(hit: Pick<PiiHit, 'kind'>, locale?: 'zh' | 'en'): string {
  return locale ? NAMES[hit.kind][locale] : LABELS[hit.kind];
}

/**
 * The field error for a text that is written for good (a ledger record, a
 * register) and still holds personal data, or null when it holds none. It
 * names what was found and where, in English and Chinese.
 *
 * @example
 * unmaskedPiiMessage('联系人张三13812345678');
 * // 'contains an unmasked mobile number at character 6; mask it before saving (含未脱敏的手机号（第6个字符起），请脱敏后再保存)'
 */
export function unmaskedPiiMessage(text: string, options: ScanOptions = {}): string | null {
  const hits = scanPii(text, options);
  if (hits.length === 0) return null;
  const at = (h: PiiHit): number => [...text.slice(0, h.start)].length + 1;
  const en = hits.map((h) => `${NAMES[h.kind].en} at character ${at(h)}`).join(', ');
  const zh = hits.map((h) => `${NAMES[h.kind].zh}（第${at(h)}个字符起）`).join('、');
  return `contains an unmasked ${en}; mask it before saving (含未脱敏的${zh}，请脱敏后再保存)`;
}

/**
 * Why a hit was flagged, in Chinese or English.
 *
 * @example
 * describeReason('card_context', 'en'); // 'Luhn-valid, right after 卡号/账号/开户 (card or account)'
 */
export function describeReason(reason: PiiReason, locale: 'zh' | 'en'): string {
  return REASONS[reason][locale];
}
