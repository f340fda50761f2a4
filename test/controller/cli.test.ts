/** The controller as a process: starts, prints where it is, answers, and stops cleanly on SIGTERM and SIGINT. */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir } from '../helpers/controller.js';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: '', GONGSHI_DATA_DIR: '' },
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

// A first start hashes three passwords at the real scrypt cost: seconds alone, far longer on a loaded CI machine.
async function waitFor(output: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('controller process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the admin URL and credentials, serves health, and exits 0 on ${signal}`, async () => {
      const dataDir = await makeDataDir();
      dirs.push(dataDir);
      const proc = run(['--port', '0', '--host', '127.0.0.1', '--data', dataDir]);
      const [, url] = await waitFor(proc.output, /Admin:\s+(http:\/\/\S+)\/admin\//);
      expect(proc.output()).toMatch(/First admin: user "admin", password "\S{16}"/);
      expect(proc.output()).toMatch(/kiosk\/\?device=demo-kiosk-v1/);
      const health = (await (await fetch(`${url}/api/health`)).json()) as { ok: boolean };
      expect(health.ok).toBe(true);
      proc.child.kill(signal);
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toMatch(/controller stopped/);
    }, 90_000);
  }

  it('lists every configuration problem and exits 2 without starting', async () => {
    const proc = run(['--port', 'eighty', '--demo', 'sometimes']);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/port \(--port \/ PORT\)/);
    expect(proc.output()).toMatch(/demo \(--demo \/ GONGSHI_DEMO\)/);
    expect(proc.output()).not.toMatch(/listening/);
  });
});
