/**
 * Every schema for a payload that crosses a wire is part of the contract (controller/protocol), where the admin app
 * can use it too: the rest of the controller imports zod for its types only, never to build a schema of its own.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const controller = path.resolve(import.meta.dirname, '../../controller');
/** Each statement that loads zod, with what it imports; `import type … from 'zod'` is the only allowed form. */
const ZOD_IMPORT =
  /(?:^|\n)\s*((?:import|export)\s[^'"]*?from\s*['"]zod(?:\/[^'"]*)?['"]|import\s*['"]zod(?:\/[^'"]*)?['"])|((?:import|require)\s*\(\s*['"]zod(?:\/[^'"]*)?['"]\s*\))/g;
const TYPE_ONLY = /^(?:import|export)\s+type\s/;

function zodImports(text: string): string[] {
  return [...text.matchAll(ZOD_IMPORT)].map((m) => (m[1] ?? m[2] ?? '').replace(/\s+/g, ' '));
}

async function outsideTheContract(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const name of await readdir(controller, { recursive: true })) {
    if (!name.endsWith('.ts') || name.split(path.sep)[0] === 'protocol') continue;
    out.set(name, zodImports(await readFile(path.join(controller, name), 'utf8')));
  }
  return out;
}

describe('payload schemas', () => {
  it('live in controller/protocol: elsewhere the controller imports zod as a type only', async () => {
    const files = await outsideTheContract();
    expect(files.size).toBeGreaterThan(50);
    // The edge's parse helper takes a schema type; seeing it proves the scan reads the files.
    expect(files.get(path.join('http', 'respond.ts'))).toEqual(["import type { z } from 'zod'"]);
    const schemaBuilders = [...files].flatMap(([file, imports]) => imports.filter((i) => !TYPE_ONLY.test(i)).map((i) => `${file}: ${i}`));
    expect(schemaBuilders, 'move these schemas into controller/protocol').toEqual([]);
  });

  it('the scanner tells a type import from a value import', () => {
    const sample = [
      "import type { z } from 'zod';",
      "import { z } from 'zod';",
      "import { type z, ZodError } from 'zod';",
      "import * as zod from 'zod/v4';",
      "export { z } from 'zod';",
      "const lazy = await import('zod');",
      "import 'zod';",
      "import { zodish } from './zodish.js';",
    ].join('\n');
    const found = zodImports(sample);
    expect(found).toHaveLength(7);
    expect(found.filter((i) => TYPE_ONLY.test(i))).toEqual(["import type { z } from 'zod'"]);
  });
});
