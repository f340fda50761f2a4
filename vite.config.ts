/// <reference types="vitest/config" />
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(root, 'dist/web');
const buildId = `${new Date()
  .toISOString()
  .replace(/[-:TZ.]/g, '')
  .slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;
const controllerPort = process.env.PORT ?? '8080';

/** Writes build.json so the controller can tell clients which build it serves (a kiosk on another build reloads). */
function buildInfo(): Plugin {
  return {
    name: 'gongshi-build-info',
    apply: 'build',
    closeBundle() {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path.join(outDir, 'build.json'), `${JSON.stringify({ build: buildId })}\n`);
    },
  };
}

/**
 * Writes `<asset>.gz` beside each JavaScript and CSS asset, so the controller serves them compressed without
 * compressing anything at run time (controller/http/compressed.ts; it compresses once itself when a file has none).
 */
function precompress(): Plugin {
  return {
    name: 'gongshi-precompress',
    apply: 'build',
    writeBundle() {
      const dir = path.join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(?:js|css|svg)$/.test(name)) continue;
        const source = readFileSync(path.join(dir, name));
        const gz = gzipSync(source, { level: constants.Z_BEST_COMPRESSION });
        if (gz.length < source.length) writeFileSync(path.join(dir, `${name}.gz`), gz);
      }
    },
  };
}

const KIOSK_SW = 'kiosk-sw';
const KIOSK_SHELL_PLACEHOLDER = '__GONGSHI_KIOSK_SHELL__';

/**
 * The kiosk's service worker (kiosk/sw.ts) goes to kiosk/sw.js, so its scope is
 * /kiosk/, with the list of files the kiosk app loads in place of
 * `__GONGSHI_KIOSK_SHELL__`: the worker stores exactly this build's shell.
 */
function kioskServiceWorker(): Plugin {
  return {
    name: 'gongshi-kiosk-sw',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [file] : []));
      const sw = chunks.find((c) => c.name === KIOSK_SW);
      const kiosk = chunks.find((c) => c.isEntry && c.name === 'kiosk');
      if (!sw || !kiosk) return this.error('the kiosk or its service worker is missing from the build');
      if (sw.imports.length > 0) return this.error(`kiosk/sw.ts must not share code with the apps (it imports ${sw.imports.join(', ')})`);
      const files = new Set<string>();
      const visit = (fileName: string): void => {
        const chunk = bundle[fileName];
        if (files.has(fileName) || chunk?.type !== 'chunk') return;
        files.add(fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        chunk.imports.forEach(visit);
      };
      visit(kiosk.fileName);
      const shell = ['/kiosk/', ...[...files].map((f) => `/${f}`)];
      if (sw.code.split(KIOSK_SHELL_PLACEHOLDER).length !== 2) return this.error(`kiosk/sw.ts must use ${KIOSK_SHELL_PLACEHOLDER} once`);
      sw.code = sw.code.replace(KIOSK_SHELL_PLACEHOLDER, JSON.stringify(shell));
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [preact(), buildInfo(), kioskServiceWorker(), precompress()],
  resolve: {
    alias: { '@protocol': path.join(root, 'controller/protocol/index.ts') },
  },
  define: {
    __GONGSHI_BUILD__: JSON.stringify(buildId),
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        admin: path.join(root, 'admin/index.html'),
        kiosk: path.join(root, 'kiosk/index.html'),
        [KIOSK_SW]: path.join(root, 'kiosk/sw.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === KIOSK_SW ? 'kiosk/sw.js' : 'assets/[name]-[hash].js'),
      },
      // controller/protocol is pure (test/protocol/purity.test.ts): a browser app keeps only the parts it uses,
      // so the kiosk does not ship the schemas only the admin app needs. Its one side effect is zod's set-up
      // (protocol/zod.ts), which must run before any schema is built.
      treeshake: {
        moduleSideEffects: (id) => !/[\\/]controller[\\/]protocol[\\/]/.test(id) || /[\\/]controller[\\/]protocol[\\/]zod\.ts$/.test(id),
      },
    },
  },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${controllerPort}`,
      '/socket.io': { target: `ws://127.0.0.1:${controllerPort}`, ws: true },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/controller/**/*.test.ts', 'test/protocol/**/*.test.ts'],
          // Real controllers (scrypt at N=2^17 per sign-in), real ptys and fsync: generous limits for a busy 2-core machine.
          testTimeout: 45_000,
          hookTimeout: 60_000,
          // Vitest's default is one worker fewer than the cores: one on a 2-core machine. These tests mostly wait on
          // sockets, timers and fsync, so two files at once roughly halve their wall time.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          // Whole-system fault runs (kill -9 twenty times, a full disk): `npm run test:faults`, a step of its own in CI.
          name: 'faults',
          environment: 'node',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          maxWorkers: 2,
          include: ['test/admin/**/*.test.{ts,tsx}', 'test/kiosk/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
