/**
 * The edges are thin: controller/http and controller/realtime parse,
 * authorise, call a service and answer. Only services touch the store (state,
 * ledger, sign profiles, record-then-save), so no file at an edge may import
 * anything from controller/store.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const controller = path.resolve(import.meta.dirname, '../../controller');
const EDGES = ['http', 'realtime'];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** The files of `text` (at `file`) imports that resolve into controller/store. */
function storeImports(file: string, text: string): string[] {
  const store = path.join(controller, 'store') + path.sep;
  return [...text.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '')
    .filter((spec) => spec.startsWith('.') && (path.resolve(path.dirname(file), spec) + path.sep).startsWith(store));
}

describe('thin edges', () => {
  it('no file in controller/http or controller/realtime imports the store', async () => {
    let files = 0;
    for (const edge of EDGES) {
      for (const name of await readdir(path.join(controller, edge), { recursive: true })) {
        if (!name.endsWith('.ts')) continue;
        const file = path.join(controller, edge, name);
        files++;
        expect(storeImports(file, await readFile(file, 'utf8')), `${edge}/${name} imports the store`).toEqual([]);
      }
    }
    expect(files).toBeGreaterThan(10);
  });

  it('the scanner catches what it should', () => {
    const file = path.join(controller, 'http', 'x.ts');
    const sample = [
      "import type { StateStore } from '../store/state.js';",
      "import { recordThenSave } from '../store/recordThenSave.js';",
      "export { x } from '../store/ledger.js';",
      "const y = await import('../store/signProfiles.js');",
      "import { ok } from '../protocol/index.js';",
      "import type { DeviceService } from '../services/devices.js';",
    ].join('\n');
    expect(storeImports(file, sample)).toEqual([
      '../store/state.js',
      '../store/recordThenSave.js',
      '../store/ledger.js',
      '../store/signProfiles.js',
    ]);
  });
});
