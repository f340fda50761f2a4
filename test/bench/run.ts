/**
 * `npm run bench [-- --quick] [filter]`: runs every `test/bench/*.bench.ts`
 * (or those whose file name contains `filter`) one after another
 * and prints one table. Benchmarks run in sequence because they share two
 * cores: running two at once would measure each other.
 */
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchOptions, type BenchResult, isBenchModule } from './bench.js';
import { formatNotes, formatTable } from './table.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Something left open would keep the process alive after the table; name it instead of hanging. */
const EXIT_GRACE_MS = 5000;

interface Args {
  quick: boolean;
  filter: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, filter: null };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; usage: npm run bench -- [--quick] [filter]`);
    else if (args.filter === null) args.filter = arg;
    else throw new Error(`one filter only, got ${args.filter} and ${arg}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const files = (await readdir(HERE)).filter((f) => f.endsWith('.bench.ts')).sort();
  const options: BenchOptions = { quick: args.quick, log: (message) => process.stderr.write(`${message}\n`) };
  const cpus = os.cpus();
  process.stdout.write(
    `# ${new Date().toISOString().slice(0, 10)} · node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${args.quick ? 'quick (smoke run, not for the record)' : 'full'}\n`,
  );

  const results: BenchResult[] = [];
  let ran = 0;
  for (const file of files) {
    // Decide by the file's name before importing it: an imported benchmark's modules (the controller, docx, …)
    // would stay on this process's heap and lengthen the garbage collections of the benchmarks measured after it.
    if (args.filter !== null && !file.includes(args.filter)) continue;
    const loaded: unknown = await import(pathToFileURL(path.join(HERE, file)).href);
    if (!isBenchModule(loaded)) throw new Error(`${file} must export name (string) and run(options)`);
    if (`${loaded.name}.bench.ts` !== file) throw new Error(`${file} exports name ${JSON.stringify(loaded.name)}; name it after its file`);
    options.log(`▶ ${loaded.name} (${file})`);
    results.push(...(await loaded.run(options)));
    ran++;
  }
  if (ran === 0) throw new Error(`no benchmark matches ${JSON.stringify(args.filter)}; have ${files.join(', ')}`);
  process.stdout.write(`\n${formatTable(results)}\n\n${formatNotes(results)}\n`);

  setTimeout(() => {
    process.stderr.write(
      `still running ${EXIT_GRACE_MS} ms after the last benchmark; open: ${process.getActiveResourcesInfo().join(', ')}\n`,
    );
    process.exit(1);
  }, EXIT_GRACE_MS).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
  // A failure half-way may leave a child or a server open; do not hang on it.
  setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
});
