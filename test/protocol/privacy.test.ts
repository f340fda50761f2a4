import { describe, expect, it } from 'vitest';
import {
  type PiiHit,
  type PiiKind,
  describeHit,
  describeReason,
  idCheckCharacter,
  isBusinessRegNumber,
  isUscc,
  isValidIdNumber,
  maskPii,
  scanPii,
} from '../../controller/protocol/privacy.js';
import { area, digits, luhnValid, prng, syntheticId, withLuhn } from './privacyCorpus.js';

const YEAR = 2026;
const scan = (text: string): PiiHit[] => scanPii(text, { currentYear: YEAR });
const kinds = (text: string): PiiKind[] => scan(text).map((hit) => hit.kind);

const FILLER = '的了在是我有和就不人都一个上也很到说要去会着没看好自己这村镇公示资金补助户主姓名，。；：、（）《》';
const filler = (rand: (n: number) => number): string =>
  Array.from({ length: 1 + rand(12) }, () => FILLER.charAt(rand(FILLER.length))).join('');

const ID = '410000198001011231'; // syntheticId('410000', '19800101', '123')
const ID_X = '41000019650708018X'; // syntheticId('410000', '19650708', '018')
const CARD = '6212345678901232'; // withLuhn('621234567890123')
const CARD_19 = '6228480012345678903'; // withLuhn('622848001234567890')

describe('the GB 11643 check character', () => {
  it('matches the standard’s published examples', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('44052418800101001')).toBe('4');
    expect(syntheticId('110105', '19491231', '002')).toBe('11010519491231002X');
    expect(syntheticId('440524', '18800101', '001')).toBe('440524188001010014');
  });

  it('agrees with the independent table on 1000 random bodies', () => {
    const rand = prng(11643);
    for (let i = 0; i < 1000; i++) {
      const id = syntheticId(digits(rand, 6), digits(rand, 8), digits(rand, 3));
      expect(idCheckCharacter(id.slice(0, 17))).toBe(id.charAt(17));
    }
  });

  it('rejects anything but 17 ASCII digits', () => {
    expect(() => idCheckCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => idCheckCharacter('1101051949123100X')).toThrow(RangeError);
  });

  it('the fixtures here are what the helper generates', () => {
    expect(syntheticId('410000', '19800101', '123')).toBe(ID);
    expect(syntheticId('410000', '19650708', '018')).toBe(ID_X);
    expect(withLuhn('621234567890123')).toBe(CARD);
    expect(withLuhn('622848001234567890')).toBe(CARD_19);
  });
});

describe('isValidIdNumber', () => {
  it('needs the right check character, lowercase x accepted', () => {
    expect(isValidIdNumber('11010519491231002X', YEAR)).toBe(true);
    expect(isValidIdNumber('11010519491231002x', YEAR)).toBe(true);
    expect(isValidIdNumber(ID, YEAR)).toBe(true);
    for (const wrong of '0123456789X'.replace(ID.charAt(17), '')) {
      expect(isValidIdNumber(ID.slice(0, 17) + wrong, YEAR), wrong).toBe(false);
    }
  });

  it('needs a real birth date from 1900 to the current year', () => {
    expect(isValidIdNumber('440524188001010014', YEAR)).toBe(false); // the standard's example, born 1880
    expect(isValidIdNumber(syntheticId('410000', '20000229', '004'), YEAR)).toBe(true);
    expect(isValidIdNumber(syntheticId('410000', '19000229', '004'), YEAR)).toBe(false); // 1900 was not a leap year
    expect(isValidIdNumber(syntheticId('410000', '19800230', '004'), YEAR)).toBe(false);
    expect(isValidIdNumber(syntheticId('410000', '19801301', '004'), YEAR)).toBe(false);
    expect(isValidIdNumber(syntheticId('410000', '19800100', '004'), YEAR)).toBe(false);
    const bornNextYear = syntheticId('410000', '20270101', '004');
    expect(isValidIdNumber(bornNextYear, 2026)).toBe(false);
    expect(isValidIdNumber(bornNextYear, 2027)).toBe(true);
  });
});

describe('scanPii', () => {
  it('finds an ID and a mobile in a Chinese sentence, with exact indices', () => {
    const text = `户主张三，身份证号${ID}，电话13812345678。`;
    expect(scan(text)).toEqual([
      { kind: 'id_card', start: 9, end: 27, text: ID, masked: '410000********1231', reason: 'id_check' },
      { kind: 'mobile', start: 30, end: 41, text: '13812345678', masked: '138****5678', reason: 'mobile' },
    ]);
  });

  it('accepts a lowercase x and masks it as X', () => {
    const lower = ID_X.toLowerCase();
    expect(scan(`身份证：${lower}。`)).toEqual([
      { kind: 'id_card', start: 4, end: 22, text: lower, masked: '410000********018X', reason: 'id_check' },
    ]);
  });

  it('ignores IDs born after the current year', () => {
    const text = `号码${syntheticId('410000', '20270101', '004')}`;
    expect(scanPii(text, { currentYear: 2026 }).map((h) => h.kind)).not.toContain('id_card');
    expect(scanPii(text, { currentYear: 2027 }).map((h) => h.kind)).toEqual(['id_card']);
  });

  it('finds 15-digit legacy IDs with a valid date', () => {
    expect(scan('老身份证410000800101123号')).toEqual([
      { kind: 'id_card_legacy', start: 4, end: 19, text: '410000800101123', masked: '410000*****1123', reason: 'legacy_date' },
    ]);
    expect(scan('编号410000801301123')).toEqual([]); // month 13
  });

  it.each([
    ['13812345678'],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+8613812345678'],
    ['+86 138 1234 5678'],
    ['86-13812345678'],
    ['008613812345678'],
  ])('finds the mobile %s, prefix and separators included', (phone) => {
    expect(scan(`联系电话：${phone}（王）`)).toEqual([
      { kind: 'mobile', start: 5, end: 5 + phone.length, text: phone, masked: '138****5678', reason: 'mobile' },
    ]);
  });

  it('finds mobiles listed one after another', () => {
    expect(scan('13812345678 13912345678、15012345678').map((h) => h.masked)).toEqual(['138****5678', '139****5678', '150****5678']);
  });

  it.each([
    [CARD, '621234******1232'],
    ['6212 3456 7890 1232', '621234******1232'],
    ['6212-3456-7890-1232', '621234******1232'],
    [CARD_19, '622848*********8903'],
    ['6228 4800 1234 5678 903', '622848*********8903'],
    ['4111111111111111', '411111******1111'],
  ])('finds the bank card %s', (card, masked) => {
    expect(scan(`补贴打入卡号${card}。`)).toEqual([
      { kind: 'bank_card', start: 6, end: 6 + card.length, text: card, masked, reason: 'card_issuer' },
    ]);
  });

  it.each([
    ['zhangsan@example.com', 'z***@example.com'],
    ['Li.Si+gongshi@mail.example.cn', 'L***@mail.example.cn'],
    ['a@example.org', 'a***@example.org'],
  ])('finds the e-mail %s', (email, masked) => {
    expect(scan(`请发送至${email}。`)).toEqual([{ kind: 'email', start: 4, end: 4 + email.length, text: email, masked, reason: 'email' }]);
  });

  it.each([
    ['money', '项目总投资12.6万元，其中财政资金1234567.89元。'],
    ['dates', '公示期自20261126起，截止2026-11-26。'],
    ['11-digit numbers starting 10 or 12', '编号12345678901、10987654321'],
    ['a document number', '彪政〔2026〕12号'],
    ['a landline', '联系电话0377-65123456'],
    ['a 17-digit run', `流水号${ID.slice(0, 17)}`],
    ['a 20-digit run', `流水号${ID}12`],
    ['a Luhn-invalid 16-digit number', '订单6212345678901233'],
    ['a grouped 20-digit number', '账号6212 3456 7890 1232 0000'],
    ['a grouped 20-digit number ending in a card number', '账号0000 6212 3456 7890 1232'],
  ])('reports nothing in %s', (_name, text) => {
    expect(scan(text)).toEqual([]);
  });

  it('preconditions of the false-positive cases: those runs are not Luhn-valid cards', () => {
    expect(luhnValid(ID.slice(0, 17))).toBe(false);
    expect(luhnValid('6212345678901233')).toBe(false);
  });

  it('never reports an ID with a wrong check character, nor one inside a longer run', () => {
    for (const wrong of '0123456789X'.replace(ID.charAt(17), '')) {
      expect(kinds(`身份证号${ID.slice(0, 17)}${wrong}。`), wrong).not.toContain('id_card');
    }
    expect(kinds(`号码9${ID}`)).not.toContain('id_card');
    expect(kinds(`号码${ID}0`)).not.toContain('id_card');
    // The standard's example is born in 1880: not an ID; Luhn-valid, but 18 digits starting 4 is no card a Chinese bank issues.
    expect(luhnValid('440524188001010014')).toBe(true);
    expect(kinds('440524188001010014')).toEqual([]);
  });

  it('reports an ID that is also Luhn-valid once, as an ID', () => {
    const rand = prng(7);
    let id: string;
    do id = syntheticId('410000', `19${10 + rand(80)}0${1 + rand(9)}1${rand(10)}`, digits(rand, 3));
    while (!luhnValid(id));
    expect(kinds(`身份证${id}`)).toEqual(['id_card']);
  });

  it('gives a mobile written as an e-mail local part to the mobile, not the e-mail', () => {
    const text = '邮箱13812345678@example.com';
    expect(scan(text)).toEqual([{ kind: 'mobile', start: 2, end: 13, text: '13812345678', masked: '138****5678', reason: 'mobile' }]);
    expect(maskPii(text)).toBe('邮箱138****5678@example.com');
  });

  it('finds full-width digits and reports indices in the original text', () => {
    const wide = (s: string): string => s.replace(/[0-9Xx-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const text = `身份证${wide(ID_X.toLowerCase())}\u3000电话${wide('138-1234-5678')}`;
    const hits = scan(text);
    expect(hits.map((h) => [h.kind, h.masked])).toEqual([
      ['id_card', '410000********018X'],
      ['mobile', '138****5678'],
    ]);
    for (const hit of hits) expect(text.slice(hit.start, hit.end)).toBe(hit.text);
    expect(maskPii(text)).toBe('身份证410000********018X\u3000电话138****5678');
  });

  it.each([
    ['410000********1231'],
    ['410000*****1123'],
    ['138****5678'],
    ['138＊＊＊＊5678'],
    ['621234******1232'],
    ['z***@example.com'],
    ['z＊＊＊@example.com'],
    ['zhang*san@example.com'],
  ])('does not report the masked value %s', (masked) => {
    expect(scan(`户主${masked}。`)).toEqual([]);
  });

  it('keeps the doc example true', () => {
    expect(scanPii('户主电话13812345678。')).toEqual([
      { kind: 'mobile', start: 4, end: 15, text: '13812345678', masked: '138****5678', reason: 'mobile' },
    ]);
  });
});

describe('maskPii', () => {
  const notice = `低保户：张三，身份证${ID}，电话138 1234 5678，卡号6212 3456 7890 1232，邮箱zhangsan@example.com。`;
  const masked = '低保户：张三，身份证410000********1231，电话138****5678，卡号621234******1232，邮箱z***@example.com。';

  it('applies the one policy to every kind', () => {
    expect(maskPii(notice)).toBe(masked);
    expect(maskPii('电话 138-1234-5678，邮箱 zhangsan@example.com')).toBe('电话 138****5678，邮箱 z***@example.com');
  });

  it('is idempotent and leaves nothing to find', () => {
    expect(maskPii(masked)).toBe(masked);
    expect(scanPii(masked)).toEqual([]);
  });

  it('masks only the hits it is given, so an overridden hit stays as written', () => {
    const kept = scanPii(notice).filter((h) => h.kind !== 'mobile');
    expect(maskPii(notice, kept)).toBe(masked.replace('138****5678', '138 1234 5678'));
    expect(maskPii(notice, [])).toBe(notice);
  });

  it('recomputes the masked form instead of trusting hit.masked', () => {
    const [hit] = scanPii('电话13812345678');
    expect(maskPii('电话13812345678', [{ ...hit!, masked: '13812345678' }])).toBe('电话138****5678');
  });

  it('refuses hits that do not belong to the text', () => {
    const hits = scanPii(notice);
    expect(() => maskPii(`前缀${notice}`, hits)).toThrow(RangeError);
    expect(() => maskPii(notice, [hits[0]!, hits[0]!])).toThrow(RangeError);
  });
});

describe('describeHit', () => {
  it('names every kind in Chinese and English', () => {
    expect(describeHit({ kind: 'id_card' })).toBe('身份证号 ID number');
    expect(describeHit({ kind: 'mobile' })).toBe('手机号 mobile number');
    const all: PiiKind[] = ['id_card', 'id_card_legacy', 'mobile', 'bank_card', 'email'];
    const labels = all.map((kind) => describeHit({ kind }));
    expect(new Set(labels).size).toBe(all.length);
    for (const label of labels) expect(label).toMatch(/^[\u4e00-\u9fff0-9]+ [A-Za-z -]+$/);
  });
});

describe('properties (seeded)', () => {
  /** A birth date from 1900 to YEAR; day ≤ 28 so every month is valid. */
  const birth = (rand: (n: number) => number): string =>
    `${1900 + rand(YEAR - 1900 + 1)}${String(1 + rand(12)).padStart(2, '0')}${String(1 + rand(28)).padStart(2, '0')}`;

  it('finds and masks 200 random synthetic IDs in Chinese filler', () => {
    const rand = prng(2026);
    for (let i = 0; i < 200; i++) {
      let id = syntheticId(area(rand), birth(rand), digits(rand, 3));
      if (rand(2) === 0) id = id.toLowerCase();
      const [before, after] = [filler(rand), filler(rand)];
      const text = before + id + after;
      const hits = scan(text);
      expect(hits, text).toEqual([
        {
          kind: 'id_card',
          start: before.length,
          end: before.length + 18,
          text: id,
          masked: `${id.slice(0, 6)}********${id.slice(14).toUpperCase()}`,
          // One in about 90 of these is also a valid credit code by chance, and says so.
          reason: expect.stringMatching(/^id_(check|or_uscc)$/),
        },
      ]);
      const masked = maskPii(text, hits);
      expect(masked).toBe(before + hits[0]!.masked + after);
      expect(scan(masked)).toEqual([]);
    }
  });

  it('finds every planted value in mixed documents, and masking leaves nothing', () => {
    const rand = prng(4);
    const phone = (): string => {
      const d = `1${3 + rand(7)}${digits(rand, 9)}`;
      const sep = [' ', '-', ''][rand(3)]!;
      const prefix = ['', '', '+86', '+86 ', '86-', '0086'][rand(6)]!;
      return prefix + d.slice(0, 3) + sep + d.slice(3, 7) + sep + d.slice(7);
    };
    const card = (): string => {
      // Digit 7 is 0, so an 18-digit card cannot also be a plausible ID (birth year 0xxx).
      const d = withLuhn(`6228480${digits(rand, 8 + rand(4))}`);
      return rand(2) === 0 ? d : (d.match(/.{1,4}/g) ?? []).join(rand(2) === 0 ? ' ' : '-');
    };
    const email = (): string => `${'abcdefgh'.slice(rand(7))}${rand(100)}@example.${['com', 'cn', 'org'][rand(3)]!}`;
    const noise = (): string =>
      [`${rand(1000)}.${rand(100)}万元`, '2026-11-26', `${20200101 + rand(70000)}`, '彪政〔2026〕12号', '0377-65123456', '138****5678'][
        rand(6)
      ]!;
    for (let i = 0; i < 200; i++) {
      let text = '';
      const planted: [PiiKind, string][] = [];
      for (let j = 0; j < 6; j++) {
        text += filler(rand);
        const pick = rand(5);
        const entry: [PiiKind, string] | null =
          pick === 0
            ? ['id_card', syntheticId(area(rand), birth(rand), digits(rand, 3))]
            : pick === 1
              ? ['mobile', phone()]
              : pick === 2
                ? ['bank_card', card()]
                : pick === 3
                  ? ['email', email()]
                  : null;
        if (entry) planted.push(entry);
        text += entry ? entry[1] : noise();
      }
      text += filler(rand);
      const hits = scan(text);
      expect(
        hits.map((h) => [h.kind, h.text]),
        text,
      ).toEqual(planted);
      hits.forEach((hit, k) => {
        expect(text.slice(hit.start, hit.end)).toBe(hit.text);
        if (k > 0) expect(hit.start).toBeGreaterThanOrEqual(hits[k - 1]!.end);
      });
      const masked = maskPii(text, hits);
      expect(scan(masked), masked).toEqual([]);
      expect(maskPii(masked)).toBe(masked);
    }
  });

  it('never reports short runs (≤10 digits) or long runs (≥20 digits)', () => {
    const rand = prng(20);
    for (let i = 0; i < 500; i++) {
      const run = digits(rand, rand(2) === 0 ? 1 + rand(10) : 20 + rand(21));
      const text = filler(rand) + run + filler(rand);
      expect(scan(text), text).toEqual([]);
    }
  });
});

describe('what the numbers carry (issue 14)', () => {
  const TODAY = '2026-12-07';
  const at = (text: string) => scanPii(text, { today: TODAY }).map((h) => [h.kind, h.text, h.reason]);

  it.each([['411325 19820315 4518'], ['411325 1982 0315 4518'], ['411325-19820315-4518'], ['411325—19820315—4518']])(
    'finds the ID written in groups %s and masks it whole',
    (written) => {
      const text = `户主王某，身份证号 ${written}，二人。`;
      expect(at(text)).toEqual([['id_card', written, 'id_check']]);
      expect(maskPii(text)).toBe('户主王某，身份证号 411325********4518，二人。');
      expect(scanPii(maskPii(text))).toEqual([]);
    },
  );

  it.each([['138.1234.5678'], ['138—1234—5678'], ['138–1234–5678'], ['138．1234．5678'], ['138·1234·5678'], ['138－1234－5678']])(
    'finds the mobile %s and masks it',
    (written) => {
      expect(at(`电话${written}。`)).toEqual([['mobile', written, 'mobile']]);
      expect(maskPii(`电话${written}。`)).toBe('电话138****5678。');
    },
  );

  it('needs a real province and a birth date not after today', () => {
    expect(at(syntheticId('991325', '19820315', '451'))).toEqual([]); // province 99
    expect(at(syntheticId('411325', '20261208', '451'))).toEqual([]); // born tomorrow
    expect(at(syntheticId('411325', '20261207', '451')).map((h) => h[0])).toEqual(['id_card']);
    expect(at('991325820315451')).toEqual([]); // legacy, province 99
  });

  it('leaves 统一社会信用代码 alone, and says so when one is also a valid ID', () => {
    expect(at('统一社会信用代码：91350100M000100Y43')).toEqual([]);
    // An all-digit credit code that is also a plausible ID: the label decides.
    let both = '';
    for (let seq = 0; !both; seq++) {
      const id = syntheticId('131325', '19820315', String(seq).padStart(3, '0'));
      if (isUscc(id)) both = id;
    }
    expect(at(`统一社会信用代码：${both}`)).toEqual([]);
    expect(at(`身份证号：${both}`)).toEqual([['id_card', both, 'id_check']]);
    expect(at(`户主 ${both}`)).toEqual([['id_card', both, 'id_or_uscc']]);
  });

  it('leaves a labelled 工商注册号 alone and flags a bare ambiguous one with its reason', () => {
    // Date-shaped (1900-04-21) and a valid MOD 11,10 check digit.
    const reg = '310115000421245';
    expect(isBusinessRegNumber(reg)).toBe(true);
    expect(at(`营业执照注册号：${reg}`)).toEqual([]);
    expect(at(`某某公司（${reg}）`)).toEqual([]);
    expect(at(`身份证号：${reg}`)).toEqual([['id_card_legacy', reg, 'legacy_date']]);
    expect(at(`张三 ${reg}`)).toEqual([['id_card_legacy', reg, 'legacy_or_business_reg']]);
    expect(at(`12 刘桂兰 女 ${reg} 3人`)).toEqual([['id_card_legacy', reg, 'legacy_or_business_reg']]);
    expect(at(`经村民代表会议评议，符合条件的有：${reg}。`)).toEqual([['id_card_legacy', reg, 'legacy_or_business_reg']]);
    // With no person beside it and no word about anyone, a number that passes the registration check is the licence's.
    expect(at(`${reg}。`)).toEqual([]);
    expect(at(`经审核，${reg}，现予公示。`)).toEqual([]);
    expect(at(`金额：${reg}`)).toEqual([]);
    // A legacy ID that fails the registration check is an ID wherever it stands.
    const legacy = `${reg.slice(0, 14)}${(Number(reg.charAt(14)) + 1) % 10}`;
    expect(isBusinessRegNumber(legacy)).toBe(false);
    expect(at(`${legacy}。`)).toEqual([['id_card_legacy', legacy, 'legacy_date']]);
    const reason = describeReason('legacy_or_business_reg', 'zh');
    expect(reason).toContain('工商注册号');
    expect(describeReason('legacy_or_business_reg', 'en')).toContain('business registration');
  });

  it('takes a Luhn-valid number for a card only in an issuer range or after 卡号/账号', () => {
    const other = withLuhn('880012345678901'); // 16 digits, no Chinese issuer starts with 88
    expect(at(`编号${other}`)).toEqual([]);
    expect(at(`一卡通账号：${other}`)).toEqual([['bank_card', other, 'card_context']]);
    expect(at(`镇财政所对公账号：${other}`)).toEqual([]);
    const visa19 = withLuhn('436742123456789012'); // a Visa range, but 19 digits
    expect(at(visa19)).toEqual([]);
    expect(at(withLuhn('436742123456789'))).toEqual([['bank_card', withLuhn('436742123456789'), 'card_issuer']]);
  });

  it('reads no code label as a person: 订单号, 地块编码 and the like', () => {
    expect(at('订单号：13812345678')).toEqual([]);
    expect(at(`地块编码：${withLuhn('622848001234567890')}`)).toEqual([]);
    expect(at(`电话：13812345678`)).toEqual([['mobile', '13812345678', 'mobile']]);
  });

  it('takes no mobile out of the middle of a letter code', () => {
    expect(at('Y13415213771D9670K')).toEqual([]);
  });
});
