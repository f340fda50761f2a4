/**
 * One route table (controller/protocol/routes.ts) for the server and the
 * admin's client: the controller answers exactly the table's routes (besides
 * the web apps' own), every handler has its route and every route its handler,
 * and every address the admin's and kiosk's code calls is one of the table's.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_APP_PATHS } from '../../../controller/http/web.js';
import { mountRoutes } from '../../../controller/http/routes.js';
import type { Sessions } from '../../../controller/auth/sessions.js';
import { API_ROUTES, type RouteSpec } from '../../../controller/protocol/index.js';
import { createHttpApi } from '../../../admin/lib/api.js';
import { createReportsApi } from '../../../admin/lib/reportsApi.js';
import { createSignsApi } from '../../../admin/lib/signsApi.js';
import { type TestController, startController } from '../../helpers/controller.js';

const TABLE: RouteSpec[] = Object.values(API_ROUTES);
const fullPath = (r: RouteSpec): string => `${r.at === 'site' ? '' : '/api'}${r.path}`;
const key = (method: string, p: string): string => `${method.toLowerCase()} ${p}`;

/** Whether `url` (a path with values, maybe a query) is `route`'s path. */
function matches(route: RouteSpec, url: string): boolean {
  const pattern = fullPath(route)
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '[^/?]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}(\\?.*)?$`).test(url);
}

const inTable = (method: string, url: string): boolean => TABLE.some((r) => r.method === method.toLowerCase() && matches(r, url));

describe('the controller mounts the route table', () => {
  let t: TestController;
  beforeAll(async () => {
    t = await startController({ args: ['--demo', 'off'] });
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('answers exactly the table’s routes, besides the web apps’ own', () => {
    const mounted = t.controller.mounted.map((r) => key(r.method, r.path));
    const web = WEB_APP_PATHS.map((p) => key('get', p));
    const declared = TABLE.map((r) => key(r.method, fullPath(r)));
    expect(mounted.filter((m) => !web.includes(m)).sort()).toEqual([...declared].sort());
    expect(mounted.filter((m) => web.includes(m)).sort()).toEqual([...web].sort());
  });
});

describe('mountRoutes', () => {
  const table = {
    one: { method: 'get', path: '/one', access: 'public', at: 'api', answer: { kind: 'json' } },
    two: { method: 'post', path: '/two/:id', access: ['admin'], at: 'api', answer: { kind: 'json' } },
  } satisfies Record<string, RouteSpec>;
  const handler = (): void => undefined;
  // Mounting reads no session: a request would.
  const sessions = (): Sessions => ({}) as Sessions;

  it('refuses to start with a route that has no handler', () => {
    expect(() => mountRoutes(express.Router(), 'api', table, { one: handler } as never, sessions())).toThrow(
      /route two \(POST \/two\/:id\) has no handler/,
    );
  });

  it('refuses to start with a handler that has no route in the table', () => {
    expect(() => mountRoutes(express.Router(), 'api', table, { one: handler, two: handler, three: handler } as never, sessions())).toThrow(
      /handlers without a route in the table: three/,
    );
  });
});

describe('the admin’s client calls only the table’s routes', () => {
  const RANGE = { from: '2026-01-01', to: '2026-12-31' };
  /** Calls whose first argument picks the route: each choice. Every other function gets placeholders. */
  const CHOICES: Record<string, unknown[][]> = {
    csv: ['stats', 'timeliness', 'satisfaction', 'compliance'].map((report) => [report, RANGE]),
    saveApplication: [
      [null, {}],
      ['x', {}],
    ],
    saveCase: [
      [null, {}],
      ['x', {}],
    ],
  };

  /** Every function of an API object (and its `links`), called with placeholder arguments. */
  async function everyCall(api: object, record: string[]): Promise<void> {
    for (const [name, value] of Object.entries(api) as [string, unknown][]) {
      if (name === 'watch') continue; // the signs' live view is a socket, not a route
      if (typeof value === 'function') {
        for (const args of CHOICES[name] ?? [['x', 'y', 'z']]) {
          const result: unknown = (value as (...a: unknown[]) => unknown)(...args);
          if (typeof result === 'string') record.push(`GET ${result}`);
          else await result;
        }
      } else if (typeof value === 'object' && value !== null) await everyCall(value, record);
    }
  }

  it('sends every call of the admin’s APIs to a route of the table', async () => {
    const calls: string[] = [];
    const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      calls.push(`${init?.method ?? 'GET'} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`);
      return Promise.resolve(new Response(JSON.stringify({ ok: true, data: null }), { headers: { 'content-type': 'application/json' } }));
    };
    await everyCall(createHttpApi({ fetch }), calls);
    await everyCall(createReportsApi({ fetch }), calls);
    await everyCall(createSignsApi(fetch), calls);
    expect(calls.length).toBeGreaterThan(60);
    expect(calls.filter((c) => !inTable(c.split(' ')[0] ?? '', c.split(' ')[1] ?? ''))).toEqual([]);
  });

  it('finds no address in the admin’s or kiosk’s code that the table does not have', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const files: string[] = [];
    for (const dir of ['admin', 'kiosk']) {
      for (const entry of await readdir(path.join(root, dir), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && /\.tsx?$/.test(entry.name)) files.push(path.join(entry.parentPath, entry.name));
      }
    }
    const stray: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      // A literal address: '/api/…', "/api/…" or `/api/…` up to its closing quote, a `${…}` standing for one segment.
      for (const m of text.matchAll(/(['"`])(\/api\/[^'"`\s]*)\1/g)) {
        const url = (m[2] ?? '').replace(/\$\{[^}]*\}/g, 'x');
        if (!TABLE.some((r) => matches(r, url))) stray.push(`${path.relative(root, file)}: ${m[2]}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
