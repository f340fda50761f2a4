/**
 * A small LCS diff for the review screen: lines first, then the words (a
 * hanzi is a word) inside each changed block, so a one-character fix in a
 * long notice shows as that character, not as a whole new paragraph.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Past this many table cells a block is shown as deleted-then-inserted rather than diffed. */
const MAX_CELLS = 2_000_000;

/**
 * The edit script from `a` to `b` along a longest common subsequence, one op per item.
 *
 * @example
 * diffSequence(['a', 'b', 'c'], ['a', 'c', 'd']);
 * // [['equal','a'], ['delete','b'], ['equal','c'], ['insert','d']]
 */
export function diffSequence<T>(a: readonly T[], b: readonly T[]): [DiffOp, T][] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: [DiffOp, T][] = a.slice(0, head).map((x): [DiffOp, T] => ['equal', x]);
  out.push(...lcsScript(midA, midB));
  out.push(...a.slice(a.length - tail).map((x): [DiffOp, T] => ['equal', x]));
  return out;
}

function lcsScript<T>(a: readonly T[], b: readonly T[]): [DiffOp, T][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((x): [DiffOp, T] => ['delete', x]), ...b.map((x): [DiffOp, T] => ['insert', x])];
  }
  // lengths[i][j]: LCS length of a[i..] and b[j..], row-major in one array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const out: [DiffOp, T][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const x = a[i] as T;
    const y = b[j] as T;
    if (x === y) {
      out.push(['equal', x]);
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      out.push(['delete', x]);
      i++;
    } else {
      out.push(['insert', y]);
      j++;
    }
  }
  while (i < n) out.push(['delete', a[i++] as T]);
  while (j < m) out.push(['insert', b[j++] as T]);
  return out;
}

/**
 * Words for diffing: runs of ASCII letters or digits, runs of spaces, and
 * every other character (each hanzi, each punctuation mark, each line break) on its own.
 *
 * @example
 * tokenize('缴费400元 per year'); // ['缴','费','400','元',' ','per',' ','year']
 */
export function tokenize(text: string): string[] {
  return text.match(/[A-Za-z0-9_]+|[^\S\n]+|[\s\S]/gu) ?? [];
}

function merge(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    if (part.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.op === part.op) last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}

/**
 * What changed from `before` to `after`: equal, deleted and inserted runs, in order.
 * Joining the equal and deleted parts gives `before`; the equal and inserted, `after`.
 *
 * @example
 * diffText('公示期7天', '公示期10天');
 * // [{op:'equal',text:'公示期'}, {op:'delete',text:'7'}, {op:'insert',text:'10'}, {op:'equal',text:'天'}]
 */
export function diffText(before: string, after: string): DiffPart[] {
  const lines = diffSequence(before.split(/(?<=\n)/), after.split(/(?<=\n)/));
  const parts: DiffPart[] = [];
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    if (deleted && inserted) {
      for (const [op, token] of diffSequence(tokenize(deleted), tokenize(inserted))) parts.push({ op, text: token });
    } else {
      parts.push({ op: 'delete', text: deleted }, { op: 'insert', text: inserted });
    }
    deleted = '';
    inserted = '';
  };
  for (const [op, line] of lines) {
    if (op === 'delete') deleted += line;
    else if (op === 'insert') inserted += line;
    else {
      flush();
      parts.push({ op, text: line });
    }
  }
  flush();
  return merge(parts);
}
