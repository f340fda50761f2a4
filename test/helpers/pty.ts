/**
 * A real virtual serial pair: `socat -d -d pty,raw,echo=0 pty,raw,echo=0`.
 * The two device paths are parsed from socat's "PTY is /dev/pts/N" lines.
 * With `linkDir`, socat also creates stable symlinks (ttyHOST, ttySIGN) there,
 * so a pair can be killed ("unplugged") and started again on the same paths.
 * socat does not enforce baud rate: the sign emulator adds wire time itself.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export interface PtyPair {
  /** The host's end (ttyHOST when linked). */
  host: string;
  /** The sign's end (ttySIGN when linked). */
  sign: string;
  /** The /dev/pts paths socat reported. */
  pts: [string, string];
  process: ChildProcess;
  /** Kills socat and waits for it to exit; both paths disappear. */
  close(): Promise<void>;
}

export function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export function openPtyPair(options: { linkDir?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
  const link = (name: string) => (options.linkDir ? `,link=${path.join(options.linkDir, name)}` : '');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0${link('ttyHOST')}`, `pty,raw,echo=0${link('ttySIGN')}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise<PtyPair>((resolve, reject) => {
    const pts: string[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`socat did not report two ptys within ${options.timeoutMs ?? 5000} ms: ${stderr}`));
    }, options.timeoutMs ?? 5000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      for (const match of chunk.matchAll(/PTY is (\S+)/g)) if (match[1]) pts.push(match[1]);
      // Both ends exist (and their links) once socat enters its transfer loop.
      if (pts.length >= 2 && stderr.includes('starting data transfer loop')) {
        clearTimeout(timer);
        const [a = '', b = ''] = pts;
        resolve({
          host: options.linkDir ? path.join(options.linkDir, 'ttyHOST') : a,
          sign: options.linkDir ? path.join(options.linkDir, 'ttySIGN') : b,
          pts: [a, b],
          process: child,
          close,
        });
      }
    });
  });
}
