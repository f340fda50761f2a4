/**
 * zod for the contract's schemas, set up before any of them is built. zod
 * compiles object schemas with `new Function` and, as it builds one, probes
 * whether it may; in a browser under the controller's CSP (script-src 'self',
 * no 'unsafe-eval') that probe is refused and Chromium reports a violation on
 * every page. Every schema module imports `z` from here, so a bundle runs this
 * file before any of them, whatever chunk they land in: in a browser (admin,
 * kiosk) the interpreted path, fast enough for forms and receipts; in the
 * controller and the village node the compiled one. vite.config.ts keeps this
 * file's side effect although it treats the rest of controller/protocol as pure.
 */
import { z } from 'zod';

if ('document' in globalThis) z.config({ jitless: true });

export { z };
