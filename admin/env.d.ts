/** Build id injected by vite (`define` in vite.config.ts). */
declare const __GONGSHI_BUILD__: string;
