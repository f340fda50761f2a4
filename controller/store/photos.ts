/**
 * Photos of paper postings (公示栏 张贴照片), stored by content hash under
 * `<data dir>/photos/`, written durably. The type is decided by the file's
 * first bytes, never by what the sender claims alone.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PHOTO_MAX_BYTES, type PhotoRef, type PhotoType } from '../protocol/index.js';
import { writeFileDurably } from './durableFile.js';

const EXTENSIONS: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The image type the bytes really are, or null. */
export function sniffPhoto(bytes: Uint8Array): PhotoType | null {
  const at = (i: number): number => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'image/png';
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export type PhotoCheck = { ok: true; photo: PhotoRef } | { ok: false; message: string };

export function checkPhoto(bytes: Uint8Array, declared: string | undefined): PhotoCheck {
  if (bytes.length === 0) return { ok: false, message: 'photo: the upload is empty' };
  if (bytes.length > PHOTO_MAX_BYTES)
    return { ok: false, message: `photo: larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB (照片不能超过 5 MB)` };
  const type = sniffPhoto(bytes);
  if (!type) return { ok: false, message: 'photo: not a JPEG, PNG or WebP image (只接受 JPEG、PNG、WebP 图片)' };
  if (declared && declared.split(';')[0]?.trim() !== type)
    return { ok: false, message: `photo: sent as ${declared} but the file is ${type}` };
  return { ok: true, photo: { sha256: createHash('sha256').update(bytes).digest('hex'), type, bytes: bytes.length } };
}

export function photoPath(dataDir: string, photo: Pick<PhotoRef, 'sha256' | 'type'>): string {
  return path.join(dataDir, 'photos', `${photo.sha256}.${EXTENSIONS[photo.type]}`);
}

/** Writes the photo (temp file, fsync, rename, fsync dir); an identical photo already stored is kept. */
export async function storePhoto(dataDir: string, photo: PhotoRef, bytes: Uint8Array): Promise<void> {
  const file = photoPath(dataDir, photo);
  if (
    await stat(file).then(
      (s) => s.size === photo.bytes,
      () => false,
    )
  )
    return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileDurably(file, bytes, 0o600);
}
