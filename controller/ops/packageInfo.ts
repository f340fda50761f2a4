/** What the controller knows about its own package: where it is installed, its version and the web apps' build. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: where package.json is, whether running from source or from dist/. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Gongshi's version, from package.json. */
export function packageVersion(root = packageRoot()): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The web apps' build id (`build.json` in the web directory), or 'dev'. */
export function readBuildId(webDir: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(webDir, 'build.json'), 'utf8')) as { build?: unknown };
    return typeof parsed.build === 'string' ? parsed.build : 'dev';
  } catch {
    return 'dev';
  }
}
