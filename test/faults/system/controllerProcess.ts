/** The fault run's controller as a child process (controller-child.ts): started, killed with SIGKILL, started again on the same port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ControllerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed on stderr (warnings and errors). */
  stderr(): string;
  kill9(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
}

export async function startControllerProcess(dataDir: string, port = 0): Promise<ControllerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(here, 'controller-child.ts'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`controller did not start within 60 s: ${out}${err}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /controller-url (\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`controller exited with ${code}: ${out}${err}`));
    });
  });
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => err,
    kill9: () => stopWith('SIGKILL'),
    stop: () => stopWith('SIGTERM'),
  };
}

export interface LedgerLine {
  seq: number;
  type: string;
  [field: string]: unknown;
}

/**
 * Every record in the ledger files, read while the controller may be writing:
 * a last line still being written is left out (it is not acknowledged yet).
 */
export async function readLedger(dataDir: string): Promise<LedgerLine[]> {
  const dir = path.join(dataDir, 'ledger');
  const names = (await readdir(dir)).filter((n) => /^\d{4}-\d{2}\.jsonl$/.test(n)).sort();
  const records: LedgerLine[] = [];
  for (const [i, name] of names.entries()) {
    const lines = (await readFile(path.join(dir, name), 'utf8')).split('\n');
    for (const [j, line] of lines.entries()) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as LedgerLine);
      } catch (error) {
        if (i === names.length - 1 && j === lines.length - 1) continue;
        throw new Error(`ledger ${name} line ${j + 1} is not JSON`, { cause: error });
      }
    }
  }
  return records;
}
