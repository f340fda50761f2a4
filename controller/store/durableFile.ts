/**
 * A lowdb adapter that survives power loss: write a temporary file, fsync it,
 * rename it over the old one, fsync the directory. lowdb's own JSONFile
 * (steno) renames without fsync, which measured as an empty file after a
 * simulated power cut (docs/reference/perf-reliability.md, T13). Compact JSON:
 * pretty-printing doubled the serialisation time on every write.
 */
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

export class DurableJsonFile<T> implements Adapter<T> {
  private readonly tmp: string;

  constructor(private readonly file: string) {
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(data: T): Promise<void> {
    const handle = await open(this.tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tmp, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
