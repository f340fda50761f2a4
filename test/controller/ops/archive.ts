/** Reads and writes backup archives in tests, through the same small tar code the tools use. */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { gzipSync, createGunzip } from 'node:zlib';
import { type BackupManifest, MANIFEST_NAME } from '../../../controller/ops/backup.js';
import { TRAILER, fileHeader, padding, readTar } from '../../../controller/ops/tar.js';

export interface Archive {
  names: string[];
  files: Map<string, Buffer>;
  manifest: BackupManifest;
}

export async function readArchive(file: string): Promise<Archive> {
  const names: string[] = [];
  const files = new Map<string, Buffer>();
  for await (const entry of readTar(createReadStream(file).pipe(createGunzip()))) {
    const parts: Buffer[] = [];
    for await (const chunk of entry.chunks) parts.push(chunk);
    names.push(entry.name);
    files.set(entry.name, Buffer.concat(parts));
  }
  const manifest = JSON.parse(files.get(MANIFEST_NAME)?.toString('utf8') ?? 'null') as BackupManifest;
  return { names, files, manifest };
}

/** Writes `files` (in order) as a .tar.gz, as an attacker or a broken copy might. */
export async function writeArchive(file: string, files: Map<string, Buffer>): Promise<void> {
  const parts: Buffer[] = [];
  for (const [name, bytes] of files) parts.push(fileHeader(name, bytes.length, Date.now()), bytes, padding(bytes.length));
  parts.push(TRAILER);
  await writeFile(file, gzipSync(Buffer.concat(parts)));
}
