/** controller/protocol is loaded by browsers too: it may import only zod and its own files. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '../../controller/protocol');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

async function specifiers(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const name of await readdir(dir, { recursive: true })) {
    if (!name.endsWith('.ts')) continue;
    const text = await readFile(path.join(dir, name), 'utf8');
    out.set(
      name,
      [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? ''),
    );
  }
  return out;
}

describe('controller/protocol', () => {
  it('imports nothing from Node, express, serialport, socket.io, lowdb or preact', async () => {
    const all = await specifiers();
    expect(all.size).toBeGreaterThan(3);
    for (const [file, imports] of all) {
      for (const spec of imports) {
        const allowed = spec === 'zod' || (spec.startsWith('./') && spec.endsWith('.js'));
        expect(allowed, `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('uses no Node globals', async () => {
    for (const name of await readdir(dir)) {
      const text = await readFile(path.join(dir, name), 'utf8');
      expect(text, name).not.toMatch(/\b(process|Buffer|__dirname|require)\b[.(]/);
    }
  });

  it('the import scanner catches what it should', () => {
    const sample = [
      "import fs from 'node:fs';",
      "export { x } from './x.js';",
      "export * from 'serialport';",
      "const y = await import('express');",
      "const z = require('lowdb');",
      "import 'preact/debug';",
    ].join('\n');
    expect([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])).toEqual([
      'node:fs',
      './x.js',
      'serialport',
      'express',
      'lowdb',
      'preact/debug',
    ]);
  });
});
