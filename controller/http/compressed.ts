/**
 * The web apps' JavaScript and CSS, gzip-compressed on the wire: villages are on 4G, and the kiosk's bundle is a
 * third of its size compressed. Each file is compressed once — at build time (vite.config.ts writes `<file>.gz`
 * beside it), or else on its first request — and kept: the hashed asset names never change content, so nothing is
 * compressed per request. A client that does not accept gzip gets the file as it is; both answers say
 * `Vary: Accept-Encoding`, so a cache between them keeps the two apart.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';

const gzipAsync = promisify(gzip);

/** What is worth compressing: text. Images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|svg|json|map|txt|html)$/;

interface Compressed {
  bytes: Buffer;
  etag: string;
  type: string;
}

/** Serves `<dir>/<path>` gzip-compressed to clients that accept it; everything else falls through (to express.static). */
export function compressedAssets(dir: string, cacheControl: string): RequestHandler {
  const root = path.resolve(dir);
  // One entry per file of the build: the set is finite, and a missing file is never remembered.
  const cache = new Map<string, Promise<Compressed | null>>();

  const load = async (file: string): Promise<Compressed | null> => {
    const source = await stat(file).catch(() => null);
    if (!source?.isFile()) return null;
    const pre = await stat(`${file}.gz`).catch(() => null);
    const bytes =
      pre?.isFile() && pre.mtimeMs >= source.mtimeMs
        ? await readFile(`${file}.gz`)
        : await gzipAsync(await readFile(file), { level: constants.Z_BEST_COMPRESSION });
    if (bytes.length >= source.size) return null;
    const etag = `"gz-${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
    return { bytes, etag, type: path.extname(file) };
  };

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (!COMPRESSIBLE.test(relative)) return next();
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip') !== 'gzip') return next();
    const file = path.join(root, relative);
    if (relative.includes('\0') || !file.startsWith(root + path.sep)) return next();
    let entry = cache.get(file);
    if (!entry) {
      entry = load(file);
      cache.set(file, entry);
      // Only files that exist are kept; a failed read is tried again next time.
      entry.then(
        (c) => c ?? cache.delete(file),
        () => cache.delete(file),
      );
    }
    entry.then((compressed) => {
      if (!compressed) return next();
      res.type(compressed.type);
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Cache-Control', cacheControl);
      res.setHeader('ETag', compressed.etag);
      if (req.fresh) return void res.status(304).end();
      res.setHeader('Content-Length', String(compressed.bytes.length));
      if (req.method === 'HEAD') return void res.end();
      res.end(compressed.bytes);
    }, next);
  };
}
