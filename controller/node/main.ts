/**
 * The village node program (村级节点):
 *
 *   npm run node -- --controller http://<town>:8080 --data <dir>        (development)
 *   node dist/controller/node/main.js --controller http://<town>:8080 --data <dir>   (production)
 *
 * See node.ts for what it is made of and docs/OPERATIONS.md for installing one.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../clock.js';
import { type LogLevel, createLogger } from '../logger.js';
import { packageRoot } from '../main.js';
import { readFileSync } from 'node:fs';
import { stopOnSignals } from '../ops/signals.js';
import { createNode } from './node.js';

export const NODE_HELP = `Gongshi village node (村级节点): drives the LED signs attached to it in the admin, offline too.

Usage: node dist/controller/node/main.js --controller <url> --data <dir> [--log-level info]

  --controller <url>   the town controller, e.g. http://192.168.1.10:8080 (required)
  --data <dir>         where the node keeps its token (0600), schedule and outbox (required)
  --log-level <level>  debug, info, warn or error (default info)
`;

export interface NodeArgs {
  controller: string;
  dataDir: string;
  logLevel: LogLevel;
}

/** Parses the command line, or throws an Error naming what is wrong. */
export function parseNodeArgs(argv: readonly string[], cwd: string): NodeArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (!['--controller', '--data', '--log-level'].includes(flag)) throw new Error(`unknown option ${flag} (未知参数)`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value (缺少取值)`);
    values.set(flag, value);
  }
  const controller = values.get('--controller');
  const data = values.get('--data');
  if (!controller) throw new Error('--controller: give the town controller’s address, e.g. http://192.168.1.10:8080 (缺少镇级控制器地址)');
  let url: URL;
  try {
    url = new URL(controller);
  } catch {
    throw new Error(`--controller: ${controller} is not an address like http://192.168.1.10:8080 (地址格式不对)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--controller: must start with http:// or https://');
  if (!data) throw new Error('--data: give a directory for the node’s token, schedule and outbox (缺少数据目录)');
  const level = values.get('--log-level') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error('--log-level: must be debug, info, warn or error');
  return { controller: url.origin, dataDir: path.resolve(cwd, data), logLevel: level as LogLevel };
}

/**
 * Runs the node program with `argv` (the command line without node and the
 * script). `clock` is the machine's clock (the system's by default): a test
 * entry injects one to run the node days ahead or an hour off.
 */
export async function runNodeProgram(argv: readonly string[], options: { clock?: Clock } = {}): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(NODE_HELP);
    return;
  }
  let args: NodeArgs;
  try {
    args = parseNodeArgs(argv, process.cwd());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${NODE_HELP}`);
    process.exitCode = 2;
    return;
  }
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const logger = createLogger({ level: args.logLevel });
  const node = await createNode(
    { controller: args.controller, dataDir: args.dataDir, build: `node-${version}` },
    { logger: logger.child('node'), ...(options.clock && { clock: options.clock }) },
  );
  stopOnSignals(() => node.stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runNodeProgram(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`the village node could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
