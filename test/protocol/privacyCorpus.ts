/**
 * A seeded corpus for the privacy gate: personal numbers in the forms notices
 * print them (labelled, bare in a table row, grouped, full-width), and the
 * ordinary numbers notices carry that have the same lengths (IDs with a wrong
 * check character, 统一社会信用代码, 工商注册号, order numbers, land-plot and
 * contract codes, dates, amounts). Check characters are computed here from the
 * standards' tables, independently of `controller/protocol/privacyCodes.ts`.
 *
 * Area codes are real province codes with made-up city and county digits, and
 * every number is random: none is anyone's.
 */
import type { PiiKind } from '../../controller/protocol/privacy.js';

export type Rand = (n: number) => number;

/** mulberry32: a small seeded PRNG, so corpora and property loops are reproducible. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export const digits = (rand: Rand, length: number): string => Array.from({ length }, () => String(rand(10))).join('');
const pick = <T>(rand: Rand, items: readonly T[]): T => items[rand(items.length)]!;

/** An 18-digit ID with the GB 11643 check character (weights 2^(17-i) mod 11, table 10X98765432). */
export function syntheticId(area: string, birth: string, seq: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = area + birth + seq;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

export function luhnValid(value: string): boolean {
  const sum = [...value].reverse().reduce((acc, c, i) => {
    const d = i % 2 === 1 ? Number(c) * 2 : Number(c);
    return acc + (d > 9 ? d - 9 : d);
  }, 0);
  return sum % 10 === 0;
}

/** Appends the Luhn check digit. */
export function withLuhn(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return partial + d;
  throw new Error('unreachable');
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100: check = 31 − Σ(value × 3^i mod 31) mod 31. */
function withUsccCheck(body17: string): string {
  let sum = 0;
  let weight = 1;
  for (const c of body17) {
    sum += USCC_CHARS.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return body17 + USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** ISO 7064 MOD 11,10 (the 工商注册号 check digit, GS 15-2006). */
function withMod1110(body14: string): string {
  for (let c = 0; c <= 9; c++) {
    // Valid when the last step leaves s ≡ 1 (mod 10).
    let p = 10;
    let s = 0;
    for (const d of body14 + c) {
      s = (p + Number(d)) % 10 || 10;
      p = (s * 2) % 11;
    }
    if (s % 10 === 1) return body14 + c;
  }
  throw new Error('unreachable');
}

const PROVINCES = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65']; // prettier-ignore
const two = (n: number): string => String(n).padStart(2, '0');
/** A county-level area code: a real province, city 01–20, county 01–30. */
export const area = (rand: Rand): string => `${pick(rand, PROVINCES)}${two(1 + rand(20))}${two(1 + rand(30))}`;

/** A birth date from 1900 through `today` (`YYYY-MM-DD`), as `YYYYMMDD`. */
function birth(rand: Rand, today: string, from = 1900): string {
  const last = Number(today.slice(0, 4)) - 1;
  return `${from + rand(last - from + 1)}${two(1 + rand(12))}${two(1 + rand(28))}`;
}

const width = (s: string): string =>
  s.replace(/[0-9Xx\- ]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
const DASHES = ['-', '—', '–', '－'];

/** An ID as people write it: plain, lowercase x, in 6-8-4 or 6-4-4-4 groups, or full-width. */
function writeId(rand: Rand, id: string): string {
  switch (rand(7)) {
    case 0:
      return `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
    case 1:
      return `${id.slice(0, 6)} ${id.slice(6, 10)} ${id.slice(10, 14)} ${id.slice(14)}`;
    case 2:
      return width(id);
    case 3:
      return id.toLowerCase();
    default:
      return id;
  }
}

function writeMobile(rand: Rand, mobile: string): string {
  const sep = pick(rand, ['', '', ' ', '-', '.', '—', '–', '·', '．']);
  const prefix = pick(rand, ['', '', '', '+86', '+86 ', '0086']);
  return prefix + mobile.slice(0, 3) + sep + mobile.slice(3, 7) + sep + mobile.slice(7);
}

/** Bank identification numbers of cards Chinese banks issue (UnionPay and co-branded Visa, Mastercard, JCB). */
const CARD_BINS: readonly [bin: string, lengths: readonly number[]][] = [
  ['622202', [19]], ['622848', [19]], ['621700', [19]], ['622700', [19]], ['621661', [19]], ['622588', [16]],
  ['622609', [16]], ['622155', [16]], ['620200', [19]], ['623668', [19]], ['621098', [19]], ['622908', [18]],
  ['601382', [16, 19]], ['955880', [19]], ['955990', [19]], ['436742', [16]], ['427010', [16]], ['409665', [16]],
  ['438088', [16]], ['403361', [16]], ['524094', [16]], ['552599', [16]], ['518378', [16]], ['545619', [16]],
  ['356885', [16]], ['222600', [16]],
]; // prettier-ignore

function writeCard(rand: Rand, card: string): string {
  if (rand(3) > 0) return card;
  const sep = pick(rand, [' ', ' ', ...DASHES]);
  return (card.match(/.{1,4}/g) ?? []).join(sep);
}

export interface PersonalItem {
  kind: PiiKind;
  /** The value as written in `text`. */
  value: string;
  text: string;
}

const NAMES = ['张三', '李四', '王五', '赵六', '刘桂兰', '陈建国', '杨秀英', '黄志强'];
const row = (rand: Rand, value: string): string =>
  `${rand(30) + 1} ${pick(rand, NAMES)} ${pick(rand, ['男', '女'])} ${value} ${rand(5) + 1}人`;

/** Puts `value` in a notice: after its label, bare in a table row, or in a sentence. */
function place(rand: Rand, value: string, labels: readonly string[]): string {
  switch (rand(3)) {
    case 0:
      return `${pick(rand, NAMES)}，${pick(rand, labels)}${value}，家庭人口${rand(5) + 1}人。`;
    case 1:
      return row(rand, value);
    default:
      return `经村民代表会议评议，${pick(rand, NAMES)}（${value}）符合条件，予以公示。`;
  }
}

/**
 * `n` personal numbers, each in its own short text: 18-digit and legacy IDs,
 * mobiles, bank cards and e-mail addresses in the proportions of a relief list.
 */
export function personalCorpus(seed: number, n: number, today: string): PersonalItem[] {
  const rand = prng(seed);
  const items: PersonalItem[] = [];
  while (items.length < n) {
    const r = rand(100);
    let kind: PiiKind;
    let value: string;
    let labels: readonly string[];
    if (r < 40) {
      kind = 'id_card';
      value = writeId(rand, syntheticId(area(rand), birth(rand, today), digits(rand, 3)));
      labels = ['身份证号：', '公民身份号码', '证件号码：', ''];
    } else if (r < 50) {
      kind = 'id_card_legacy';
      const id = area(rand) + birth(rand, '1999-12-31').slice(2) + digits(rand, 3);
      value = rand(4) === 0 ? `${id.slice(0, 6)} ${id.slice(6, 12)} ${id.slice(12)}` : id;
      labels = ['身份证号：', '原身份证号', ''];
    } else if (r < 72) {
      kind = 'mobile';
      value = writeMobile(rand, `1${3 + rand(7)}${digits(rand, 9)}`);
      labels = ['联系电话：', '手机', '电话', ''];
    } else if (r < 92) {
      kind = 'bank_card';
      const [bin, lengths] = pick(rand, CARD_BINS);
      const length = pick(rand, lengths);
      value = writeCard(rand, withLuhn(bin + digits(rand, length - bin.length - 1)));
      labels = ['银行卡号：', '卡号', '一卡通账号：', '开户账号', ''];
    } else {
      kind = 'email';
      value = `${pick(rand, ['zhang', 'li.si', 'wangwu', 'xiaoming'])}${rand(1000)}@${pick(rand, ['qq.com', '163.com', 'example.cn'])}`;
      labels = ['邮箱：', '电子邮件', ''];
    }
    items.push({ kind, value, text: place(rand, value, labels) });
  }
  return items;
}

export type OrdinaryKind =
  'id_wrong_check' | 'uscc' | 'business_reg' | 'order_number' | 'land_code' | 'contract_code' | 'date' | 'amount' | 'other';

export interface OrdinaryItem {
  kind: OrdinaryKind;
  value: string;
  text: string;
}

function wrongCheckId(rand: Rand, today: string): string {
  const id = syntheticId(area(rand), birth(rand, today), digits(rand, 3));
  const others = '0123456789X'.replace(id.charAt(17), '');
  return id.slice(0, 17) + others.charAt(rand(others.length));
}

function uscc(rand: Rand): string {
  const dept = pick(rand, ['1', '5', '9', '9', '9', 'Y']);
  const category = dept === 'Y' ? '1' : pick(rand, ['1', '2', '3']);
  const letters = 'ABCDEFGHJKLMNPQRTUWXY';
  const org = Array.from({ length: 9 }, (_, i) => (rand(10) < 8 || i === 0 ? String(rand(10)) : letters.charAt(rand(letters.length)))).join(
    '',
  );
  return withUsccCheck(dept + category + area(rand) + (rand(3) === 0 ? `MA${org.slice(2)}` : org));
}

/** 工商注册号: the registering bureau's area, the type digit (0–3 内资, 4–5 外资, 6–9 个体), a sequence, MOD 11,10. */
function businessReg(rand: Rand): string {
  const type = pick(rand, ['0', '1', '2', '3', '4', '6', '7', '9']);
  return withMod1110(area(rand) + type + String(rand(rand(4) === 0 ? 9_999_999 : 300_000)).padStart(7, '0'));
}

function orderNumber(rand: Rand): string {
  const date = `20${two(15 + rand(12))}${two(1 + rand(12))}${two(1 + rand(28))}`;
  switch (rand(4)) {
    case 0:
      return date + digits(rand, 8 + rand(8));
    case 1:
      return `4200${digits(rand, 6)}${date}${digits(rand, 10)}`;
    case 2:
      return `${1 + rand(9)}${digits(rand, 9 + rand(12))}`;
    default:
      return `${date}${digits(rand, 6)}`;
  }
}

/** 承包地块编码 (19 digits), 承包方编码 (18), 宗地代码 and 不动产单元号. */
function landCode(rand: Rand): string {
  const village = `${area(rand)}${String(100 + rand(200)).padStart(3, '0')}${String(1 + rand(40)).padStart(3, '0')}${two(1 + rand(12))}`;
  switch (rand(4)) {
    case 0:
      return village + String(rand(99_999)).padStart(5, '0');
    case 1:
      return village + String(rand(9_999)).padStart(4, '0');
    case 2:
      return `${village.slice(0, 12)}${pick(rand, ['JC', 'GB', 'JA'])}${String(rand(99_999)).padStart(5, '0')}`;
    default:
      return `${village.slice(0, 12)}GB${String(rand(99_999)).padStart(5, '0')}F${String(rand(9999)).padStart(4, '0')}0001`;
  }
}

function contractCode(rand: Rand): string {
  const village = `${area(rand)}${String(100 + rand(200)).padStart(3, '0')}${String(1 + rand(40)).padStart(3, '0')}${two(1 + rand(12))}`;
  switch (rand(3)) {
    case 0:
      return `${village}${String(rand(9_999)).padStart(4, '0')}J`;
    case 1:
      return `HT-20${two(15 + rand(12))}-${String(rand(999)).padStart(3, '0')}`;
    default:
      return `NX${digits(rand, 4)}${two(1 + rand(12))}${digits(rand, 6)}`;
  }
}

function date(rand: Rand): string {
  const [y, m, d] = [2000 + rand(30), 1 + rand(12), 1 + rand(28)];
  return pick(rand, [`${y}${two(m)}${two(d)}`, `${y}-${two(m)}-${two(d)}`, `${y}年${m}月${d}日`, `${y}.${two(m)}.${two(d)}`]);
}

const LABELS: Record<OrdinaryKind, readonly string[]> = {
  id_wrong_check: ['编号', '序号', '登记号'],
  uscc: ['统一社会信用代码：', '信用代码', '营业执照统一社会信用代码'],
  business_reg: ['注册号：', '营业执照注册号', '工商注册号'],
  order_number: ['订单号：', '交易流水号', '单号', ''],
  land_code: ['地块编码：', '宗地代码', '不动产单元号'],
  contract_code: ['合同编号：', '承包合同代码', '合同号'],
  date: ['公示日期：', '截止', ''],
  amount: ['补助金额', '合计', ''],
  other: ['', '文号', ''],
};

/**
 * `n` ordinary numbers, each in its own short text. With `bare`, no label
 * stands before them; otherwise each carries a label a notice prints before
 * such a number (dates, amounts and order numbers are sometimes bare).
 */
export function ordinaryCorpus(seed: number, n: number, today: string, bare = false): OrdinaryItem[] {
  const rand = prng(seed);
  const items: OrdinaryItem[] = [];
  while (items.length < n) {
    const r = rand(100);
    const [kind, value]: [OrdinaryKind, string] =
      r < 12
        ? ['id_wrong_check', wrongCheckId(rand, today)]
        : r < 26
          ? ['uscc', uscc(rand)]
          : r < 38
            ? ['business_reg', businessReg(rand)]
            : r < 52
              ? ['order_number', orderNumber(rand)]
              : r < 64
                ? ['land_code', landCode(rand)]
                : r < 74
                  ? ['contract_code', contractCode(rand)]
                  : r < 84
                    ? ['date', date(rand)]
                    : r < 94
                      ? [
                          'amount',
                          pick(rand, [
                            `${rand(10_000_000)}.${two(rand(100))}元`,
                            `${rand(1000)},${String(rand(1000)).padStart(3, '0')}.00`,
                            `${rand(500)}.${rand(100)}万元`,
                          ]),
                        ]
                      : [
                          'other',
                          pick(rand, [
                            `0377-6${digits(rand, 7)}`,
                            `47${digits(rand, 4)}`,
                            `内政〔20${two(15 + rand(12))}〕${rand(200)}号`,
                            `${digits(rand, 10)}`,
                          ]),
                        ];
    const label = bare ? '' : pick(rand, LABELS[kind]);
    const text = pick(rand, [
      `${label}${value}。`,
      `经审核，${label}${value}，现予公示。`,
      `${rand(30) + 1} ${label}${value} ${rand(90) + 10}亩`,
    ]);
    items.push({ kind, value, text });
  }
  return items;
}
