/// <reference types="vitest/config" />
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [preact(), buildInfo()],
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
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
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
