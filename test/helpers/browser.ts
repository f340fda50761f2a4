/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser
 * download cannot run here). Where Chromium is missing the browser suites are
 * skipped loudly, except under CI, where that is a failure.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath: string | null = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;
export const inCI = !!process.env.CI;

if (!chromiumPath) {
  const looked = CANDIDATES.filter(Boolean).join(', ');
  const message = inCI
    ? `Chromium was not found (looked for ${looked}): under CI the browser suites FAIL. Install it with \`apt-get install chromium\`.`
    : `Chromium was not found (looked for ${looked}): the browser suites are SKIPPED. Install it with \`apt-get install chromium\`.`;
  process.stderr.write(`\n${'!'.repeat(message.length)}\n${message}\n${'!'.repeat(message.length)}\n\n`);
}

/** Chromium as the suites run it, plus `extraArgs` (e.g. a kiosk's documented flags, or an autoplay policy to test against). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!chromiumPath) throw new Error('Chromium is not installed');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}
