/**
 * Tools for the hostile-input suites: payload generators (fast-check), a raw
 * HTTP client that sends exactly the bytes and path it is given, a snapshot of
 * what must not change (state.json and the ledger), and the checks every
 * refusal must pass.
 */
import { request } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { ERROR_CODES } from '../../../controller/protocol/index.js';

/** One run's seed: FUZZ_SEED to replay a failure, else fresh; printed so any run can be replayed. */
export function fuzzSeed(suite: string): number {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
  process.stdout.write(`[${suite}] fast-check seed ${seed} (replay with FUZZ_SEED=${seed})\n`);
  return seed;
}

/** Characters that have broken parsers, databases, terminals and layouts somewhere. */
export const EDGE_CHARACTERS = [
  '\u0000', // NUL
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u200f', // RIGHT-TO-LEFT MARK
  '\u200b', // zero-width space
  '\ufeff', // byte-order mark
  '\u2028', // line separator (breaks JSON-in-JS)
  '\u0085',
  '\uffff',
  '𠮷', // 4-byte CJK (a surrogate pair)
  '😀',
  '\u0301', // combining accent
  '１３８', // full-width digits
  '%00',
  '../',
  '<script>',
  '"',
  '\\',
] as const;

export const edgeString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...EDGE_CHARACTERS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength });

/** Field names the request schemas use, so that generated objects get past "unknown key" and into the field checks. */
export const KNOWN_KEYS = [
  'title',
  'body',
  'target',
  'scope',
  'villageIds',
  'villageId',
  'content',
  'posting',
  'rule',
  'kind',
  'days',
  'category',
  'emergency',
  'username',
  'password',
  'newPassword',
  'currentPassword',
  'displayName',
  'roles',
  'disabled',
  'name',
  'location',
  'onHours',
  'code',
  'claim',
  'reason',
  'attestation',
  'privacyOverride',
  'privacyOverrideRequest',
  'fastPath',
  'correctionReason',
  'receipts',
  'receiptId',
  'seq',
  'noticeId',
  'contentHash',
  'shownAt',
  'build',
  'clock',
  'showing',
  'queued',
  'brightness',
  'on',
  'profile',
  'port',
  'protocol',
  'width',
  'height',
  'holidays',
  'date',
  'channel',
  'year',
  'version',
  'state',
  'limit',
  'cursor',
  'from',
  'to',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
] as const;

/** Wrong-typed, edge-valued, nested and prototype-polluting values. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53, '', ' ', '0', 'true', 'null', '[]', '{}'),
    fc.integer(),
    fc.double(),
    edgeString(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), edgeString(12)), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A JSON object over the known keys with hostile values. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fc.constantFrom(...KNOWN_KEYS), hostileValue, {
  maxKeys: 8,
});

export interface Body {
  label: string;
  contentType?: string;
  text: string;
}

const nested = (levels: number, open: string, close: string): string => open.repeat(levels) + close.repeat(levels);

/** The fixed hostile corpus every route and event gets, whatever the random runs draw. */
export function corpusBodies(limitBytes: number): Body[] {
  const json = 'application/json';
  return [
    { label: 'empty JSON body', contentType: json, text: '' },
    { label: 'malformed JSON', contentType: json, text: '{"title":' },
    { label: 'trailing garbage', contentType: json, text: '{"a":1}}' },
    { label: 'NUL', contentType: json, text: '\u0000' },
    { label: '10,000 nested arrays', contentType: json, text: nested(10_000, '[', ']') },
    { label: '10,000 nested objects', contentType: json, text: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
    { label: 'body over the limit', contentType: json, text: JSON.stringify({ title: 'x'.repeat(limitBytes + 1024) }) },
    { label: 'huge array', contentType: json, text: `[${'0,'.repeat(100_000)}0]` },
    {
      label: 'prototype pollution',
      contentType: json,
      text: '{"__proto__":{"polluted":"yes","roles":["admin"]},"constructor":{"prototype":{"polluted":"yes"}}}',
    },
    {
      label: 'unicode edges in every known key',
      contentType: json,
      text: JSON.stringify(Object.fromEntries(KNOWN_KEYS.map((k) => [k, EDGE_CHARACTERS.join('')]))),
    },
    { label: 'lone surrogate escapes', contentType: json, text: '{"title":"\\ud800","body":"\\udfff\\u0000","name":"\\ud83d"}' },
    { label: 'wrong types everywhere', contentType: json, text: JSON.stringify(Object.fromEntries(KNOWN_KEYS.map((k) => [k, [{}]]))) },
    { label: 'a bare string', contentType: json, text: '"hello"' },
    { label: 'form-encoded', contentType: 'application/x-www-form-urlencoded', text: 'title=a&__proto__[x]=1' },
    { label: 'plain text', contentType: 'text/plain', text: 'hello' },
    { label: 'unsupported charset', contentType: 'application/json; charset=utf-16', text: '{}' },
    { label: 'JSON without a content type', text: '{"title":"x"}' },
  ];
}

/** Random bodies: hostile JSON most of the time, sometimes a broken or oddly typed one. */
export const randomBody: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 6,
    arbitrary: hostileObject.map((o) => ({ label: 'random object', contentType: 'application/json', text: JSON.stringify(o) })),
  },
  {
    weight: 2,
    arbitrary: hostileValue.map((v) => ({ label: 'random value', contentType: 'application/json', text: JSON.stringify(v) ?? 'null' })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileObject, fc.nat()).map(([o, cut]) => {
      const text = JSON.stringify(o);
      return { label: 'truncated JSON', contentType: 'application/json', text: text.slice(0, cut % Math.max(1, text.length)) };
    }),
  },
  { weight: 1, arbitrary: edgeString(200).map((t) => ({ label: 'random text as JSON', contentType: 'application/json', text: t })) },
);

/** Raw path segments that have confused routers: they go into the path as written. */
export const ODD_SEGMENTS = [
  '%',
  '%ZZ',
  '%00',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%ED%A0%80',
  '%C0%AF',
  '%F0%9F%98%80',
  '%E2%80%AE',
  ';',
  '*',
  '(',
  '-1',
  '0',
  '99999999999999999999',
  'x'.repeat(4000),
  '%20',
  '~',
] as const;

/** Percent-encodes any string as UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
export const encodeSegment = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

export const pathSegment = (realIds: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...realIds),
    fc.constantFrom(...ODD_SEGMENTS),
    edgeString(20).map(encodeSegment),
    fc.constantFrom('2024', '2025', '1', 'draft', 'final', 'v1'),
  );

export const QUERY_KEYS = [
  'state',
  'limit',
  'cursor',
  'from',
  'to',
  'year',
  'villageId',
  'category',
  'q',
  'page',
  'channel',
  '__proto__[x]',
  'a[b][c][d]',
];

export const randomQuery: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.constantFrom(...ODD_SEGMENTS), edgeString(20).map(encodeSegment))), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/** Sends exactly this method, path, headers and body (no URL normalisation, no encoding). */
export function rawRequest(
  baseUrl: string,
  method: string,
  rawPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: rawPath,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // The controller may answer (413) and close before it has read an oversized body.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

/** What a refused request must leave exactly as it was. */
export async function snapshot(dataDir: string): Promise<string> {
  const state = await readFile(path.join(dataDir, 'state.json'), 'utf8');
  const ledgerDir = path.join(dataDir, 'ledger');
  const files = (await readdir(ledgerDir)).sort();
  const sizes = await Promise.all(files.map(async (f) => `${f}:${(await stat(path.join(ledgerDir, f))).size}`));
  return `${state}\n--ledger--\n${sizes.join('\n')}`;
}

const CODES = new Set<string>(ERROR_CODES);

/** The problems with a refusal's body, if any: it must be an Ack failure with a known code, a message, and named fields. */
export function refusalProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['the answer is not a JSON object'];
  const b = body as { ok?: unknown; error?: unknown; message?: unknown; fields?: unknown };
  const problems: string[] = [];
  if (b.ok !== false) problems.push('ok is not false');
  if (typeof b.error !== 'string' || !CODES.has(b.error)) problems.push(`unknown error code ${JSON.stringify(b.error)}`);
  if (b.error === 'internal') problems.push('internal error');
  if (typeof b.message !== 'string' || b.message.trim() === '') problems.push('no message');
  if (b.fields !== undefined) {
    const fields = b.fields as Record<string, unknown>;
    if (typeof fields !== 'object' || fields === null || Object.keys(fields).length === 0) problems.push('fields present but empty');
    else if (Object.values(fields).some((v) => typeof v !== 'string' || v === '')) problems.push('a field without a message');
  }
  return problems;
}

/** Whether anything reached Object.prototype (the controller runs in this process). */
export function prototypePolluted(): string[] {
  const probe = {} as Record<string, unknown>;
  return ['polluted', 'roles', 'x', 'admin'].filter((k) => probe[k] !== undefined || Object.hasOwn(Object.prototype, k));
}

const REMOVE = Symbol('remove');
type Key = string | number;

function pathsOf(value: unknown, prefix: Key[] = []): Key[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [Key, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

/**
 * A valid example with one part replaced by a hostile value or removed, sometimes with a `__proto__` key added:
 * gets past the first checks of a schema and into its later ones, and into the service behind it.
 */
export function mutatedExample(example: Record<string, unknown>): fc.Arbitrary<Body> {
  const paths = pathsOf(example);
  return fc
    .tuple(fc.constantFrom(...paths), fc.oneof(fc.constant<typeof REMOVE>(REMOVE), hostileValue), fc.boolean())
    .map(([where, value, proto]) => {
      const copy = structuredClone(example);
      let parent: Record<Key, unknown> = copy;
      for (const key of where.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
      const last = where[where.length - 1] ?? '';
      if (value === REMOVE) delete parent[last];
      else parent[last] = value;
      const text = JSON.stringify(copy);
      return {
        label: `example with ${where.join('.')} ${value === REMOVE ? 'removed' : 'changed'}${proto ? ' and __proto__' : ''}`,
        contentType: 'application/json',
        text: proto ? text.replace(/^\{/, '{"__proto__":{"polluted":"yes","roles":["admin"]},') : text,
      };
    });
}
