/**
 * Imported first by main.tsx. zod compiles object schemas with `new Function`
 * unless told not to, and probes whether it may: under the controller's CSP
 * (script-src 'self', no 'unsafe-eval') that probe is refused and Chromium
 * reports a CSP violation on every admin page. The interpreted path is fast
 * enough for forms.
 */
import { z } from 'zod';

z.config({ jitless: true });
