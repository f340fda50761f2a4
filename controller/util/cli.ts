/**
 * Command-line options and their environment variables, read with node's own
 * `parseArgs`. Problems are collected, never thrown, so that a program can
 * report every one of them at once. The controller and the village node share
 * this; each validates the raw strings it gets back.
 */
import { parseArgs } from 'node:util';

/** One option: `--flag <value>` on the command line, or `env` in the environment. */
export interface OptionSpec {
  readonly flag: `--${string}`;
  readonly env?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The raw value of each option, the command line winning over the environment.
 * An empty variable counts as unset, as in most shells' `${VAR:-default}`.
 * `switches` are value-less flags that stand for an option's value (`--no-demo` → demo=off).
 *
 * @example
 * const raw = readOptions({ port: { flag: '--port', env: 'PORT' } }, ['--port', '9000'], process.env, problems);
 */
export function readOptions<K extends string>(
  spec: Readonly<Record<K, OptionSpec>>,
  argv: readonly string[],
  env: Env,
  problems: string[],
  switches: Readonly<Record<`--${string}`, { key: NoInfer<K>; value: string }>> = {},
): Partial<Record<K, string>> {
  const raw: Partial<Record<K, string>> = {};
  const keys = Object.keys(spec) as K[];
  for (const key of keys) {
    const name = spec[key].env;
    const value = name === undefined ? undefined : env[name];
    if (value?.trim()) raw[key] = value;
  }

  const byName = new Map<string, K>(keys.map((key) => [spec[key].flag.slice(2), key]));
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const key of keys) options[spec[key].flag.slice(2)] = { type: 'string' };
  for (const flag of Object.keys(switches)) options[flag.slice(2)] = { type: 'boolean' };
  // parseArgs takes `--data --port 1` as data="--port": such a value is refused and parsing resumes at it.
  let rest = [...argv];
  while (rest.length > 0) {
    const { tokens } = parseArgs({ args: rest, options, strict: false, allowPositionals: true, tokens: true });
    let resumeAt = rest.length;
    for (const token of tokens) {
      if (token.kind === 'option-terminator') continue;
      if (token.kind === 'positional') {
        problems.push(`unexpected argument ${JSON.stringify(token.value)}; run with --help to list the options`);
        continue;
      }
      const toggle = switches[token.rawName as `--${string}`];
      if (toggle) {
        raw[toggle.key] = toggle.value;
        continue;
      }
      const key = byName.get(token.name);
      if (key === undefined || !token.rawName.startsWith('--')) {
        problems.push(`unknown option ${JSON.stringify(token.rawName)}; run with --help to list the options`);
        continue;
      }
      const { value } = token;
      if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
        problems.push(`${token.rawName} needs a value`);
        if (value !== undefined) {
          resumeAt = token.index + 1;
          break;
        }
        continue;
      }
      raw[key] = value;
    }
    rest = rest.slice(resumeAt);
  }
  return raw;
}
