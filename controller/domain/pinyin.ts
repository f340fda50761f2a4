/**
 * Pinyin initials for kiosk search: 低保公示 → dbgs, so a villager can find a
 * notice by typing a few letters on the kiosk's on-screen keyboard.
 *
 * GB 2312-1980 orders its 3,755 level-1 hanzi (rows 16–55) by pinyin, so the
 * initial of a level-1 hanzi follows from where its GB2312 code falls among
 * the first hanzi of each initial (啊 a, 芭 b, 擦 c, …). The codes come from the
 * WHATWG GBK decoder that Node (full ICU) ships, as in protocol/ledText.ts.
 * Level-2 hanzi (rows 56–87) are ordered by radical and get no initial, except
 * the few name characters in {@link OVERRIDES}.
 */

/** The first level-1 hanzi of each initial, in GB2312 order (there are no level-1 syllables in i, u or v). */
const FIRST_OF_INITIAL: readonly (readonly [string, string])[] = [
  ['a', '啊'],
  ['b', '芭'],
  ['c', '擦'],
  ['d', '搭'],
  ['e', '蛾'],
  ['f', '发'],
  ['g', '噶'],
  ['h', '哈'],
  ['j', '击'],
  ['k', '喀'],
  ['l', '垃'],
  ['m', '妈'],
  ['n', '拿'],
  ['o', '哦'],
  ['p', '啪'],
  ['q', '期'],
  ['r', '然'],
  ['s', '撒'],
  ['t', '塌'],
  ['w', '挖'],
  ['x', '昔'],
  ['y', '压'],
  ['z', '匝'],
];

/**
 * Level-2 hanzi (ordered by radical, so without an initial from the table)
 * that turn up in personal, place and village names. Polyphones keep their
 * GB2312 reading: 长 c (长期), 调 d, 行 x; a villager's other guess still
 * finds the notice by its other characters.
 */
const OVERRIDES: Readonly<Record<string, string>> = {
  茌: 'c',
  邝: 'k',
  喆: 'z',
  堃: 'k',
  昇: 's',
  玥: 'y',
  珺: 'j',
  璐: 'l',
  镕: 'r',
  淼: 'm',
  焱: 'y',
  圪: 'g', // 圪垱 in village names
  垱: 'd',
  坳: 'a',
  岙: 'a',
  砦: 'z',
  埝: 'n',
};

const LEVEL1_FIRST_LEAD = 0xb0;
const LEVEL1_LAST_LEAD = 0xd7;
const TRAIL_FIRST = 0xa1;
const TRAIL_LAST = 0xfe;

/** The part of TextDecoder used here, typed locally as in ledText.ts. */
interface Decoder {
  decode(input: Uint8Array): string;
}

let table: ReadonlyMap<string, string> | null = null;

/** Hanzi → initial for all level-1 hanzi, built once from the GBK decoder. */
function initialsTable(): ReadonlyMap<string, string> {
  if (table) return table;
  const decoder = new TextDecoder('gbk') as Decoder;
  const codeOf = new Map<string, number>();
  const ordered: string[] = [];
  for (let lead = LEVEL1_FIRST_LEAD; lead <= LEVEL1_LAST_LEAD; lead += 1) {
    for (let trail = TRAIL_FIRST; trail <= TRAIL_LAST; trail += 1) {
      // Row 55 ends at 0xD7F9; the cells after it are GBK additions, not pinyin-ordered level-1 hanzi.
      if (lead === LEVEL1_LAST_LEAD && trail > 0xf9) break;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      codeOf.set(char, (lead << 8) | trail);
      ordered.push(char);
    }
  }
  const bounds = FIRST_OF_INITIAL.map(([initial, char]) => {
    const code = codeOf.get(char);
    if (code === undefined) throw new Error(`${char} is not a GB2312 level-1 hanzi`);
    return [code, initial] as const;
  });
  const built = new Map<string, string>();
  for (const char of ordered) {
    const code = codeOf.get(char) ?? 0;
    let initial = '';
    for (const [start, letter] of bounds) if (code >= start) initial = letter;
    built.set(char, initial);
  }
  table = built;
  return built;
}

/** The initial of one character: a letter for a hanzi, the character itself for a digit or Latin letter, '' otherwise. */
export function initialOf(char: string): string {
  const folded = char.normalize('NFKC').toLowerCase();
  if (/^[0-9a-z]$/.test(folded)) return folded;
  return OVERRIDES[char] ?? initialsTable().get(char) ?? '';
}

/**
 * The pinyin initials of a text, with digits and Latin letters kept (lower
 * case, full-width folded) and everything else dropped.
 *
 * @example
 * pinyinInitials('低保公示'); // 'dbgs'
 * pinyinInitials('2026年第三季度村务公开'); // '2026ndsjdcwgk'
 */
export function pinyinInitials(text: string): string {
  let out = '';
  for (const char of text) out += initialOf(char);
  return out;
}
