/**
 * Just enough of POSIX ustar (regular files only) to write and read Gongshi
 * backups without a dependency, gzip-compressed by node:zlib. The archives are
 * ordinary `.tar.gz` files: `tar -tzvf` lists them and `tar -xzf` unpacks
 * them, so an operator never depends on Gongshi to get at a backup.
 *
 * Names are kept under 100 bytes (data-directory paths are short), so no
 * prefix field or pax headers are needed; longer names are refused.
 */
import type { Readable } from 'node:stream';

const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK);

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** The 512-byte header of a regular file. */
export function fileHeader(name: string, size: number, mtimeMs: number, mode = 0o600): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 99) throw new Error(`tar: the name ${name} is longer than 99 bytes`);
  if (size > 0o77777777777) throw new Error(`tar: ${name} is larger than 8 GB`);
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  header.write(octal(mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii'); // uid
  header.write(octal(0, 8), 116, 'ascii'); // gid
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.floor(mtimeMs / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum is computed over spaces here
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Zero bytes that bring a member of `size` bytes to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : ZEROS.subarray(0, BLOCK - rest);
}

/** The end of an archive: two zero blocks. */
export const TRAILER = Buffer.alloc(BLOCK * 2);

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

export interface TarEntry {
  name: string;
  size: number;
  mode: number;
  /** The member's bytes, in order; must be read to the end before the next entry. */
  chunks: AsyncIterable<Buffer>;
}

function readOctal(header: Buffer, at: number, width: number, field: string): number {
  const text = header
    .toString('ascii', at, at + width)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`tar: the ${field} field is not an octal number`);
  return Number.parseInt(text, 8);
}

function parseHeader(header: Buffer): { name: string; size: number; mode: number; type: string } {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  if (readOctal(header, 148, 8, 'checksum') !== sum) throw new TarFormatError('tar: a header checksum does not match');
  const end = header.indexOf(0, 0);
  const name = header.toString('utf8', 0, end < 0 || end > 100 ? 100 : end);
  const prefixEnd = header.indexOf(0, 345);
  const prefix = header.toString('utf8', 345, prefixEnd < 0 || prefixEnd > 500 ? 500 : prefixEnd);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: readOctal(header, 124, 12, 'size'),
    mode: readOctal(header, 100, 8, 'mode'),
    type: String.fromCharCode(header[156] ?? 0),
  };
}

/**
 * The members of a (decompressed) tar stream, one at a time. Only regular
 * files and directories are accepted; links, devices and anything else are
 * refused, since a backup never holds them.
 */
export async function* readTar(input: Readable): AsyncGenerator<TarEntry> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffered: Buffer = Buffer.alloc(0);
  let done = false;

  /** Exactly `n` bytes, or fewer only at the end of the stream. */
  const take = async (n: number): Promise<Buffer> => {
    while (buffered.length < n && !done) {
      const next = await source.next();
      if (next.done) done = true;
      else buffered = buffered.length === 0 ? next.value : Buffer.concat([buffered, next.value]);
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(out.length);
    return out;
  };
  /** What is buffered (pulling once if nothing is), at most `n` bytes: member data is passed on without copying. */
  const takeSome = async (n: number): Promise<Buffer> => {
    if (buffered.length === 0 && !done) {
      const next = await source.next();
      if (next.done) done = true;
      else buffered = next.value;
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(out.length);
    return out;
  };

  for (;;) {
    const header = await take(BLOCK);
    if (header.length === 0) throw new TarFormatError('tar: the archive ends without its end marker (truncated)');
    if (header.length < BLOCK) throw new TarFormatError('tar: the archive is truncated inside a header');
    if (header.equals(ZEROS)) return;
    const { name, size, mode, type } = parseHeader(header);
    if (type === '5') {
      continue; // directories are implied by the file paths
    }
    if (type !== '0' && type !== '\0') throw new TarFormatError(`tar: ${name} is not a regular file (type ${JSON.stringify(type)})`);
    let left = size;
    let consumed = false;
    async function* chunks(): AsyncGenerator<Buffer> {
      while (left > 0) {
        const piece = await takeSome(left);
        if (piece.length === 0) throw new TarFormatError(`tar: the archive is truncated inside ${name}`);
        left -= piece.length;
        yield piece;
      }
      consumed = true;
    }
    yield { name, size, mode, chunks: chunks() };
    if (!consumed) for await (const piece of chunks()) void piece;
    const pad = padding(size).length;
    if ((await take(pad)).length < pad) throw new TarFormatError(`tar: the archive is truncated after ${name}`);
  }
}
