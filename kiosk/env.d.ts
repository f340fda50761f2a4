/** Build id injected by vite (`define` in vite.config.ts); the controller names the build it serves in `server:hello`. */
declare const __GONGSHI_BUILD__: string;
