/**
 * The controller's HTTP API, called by route name from the contract's route
 * table (controller/protocol/routes.ts): the table gives each call its method,
 * path, parameters, query, body and answer type, so no path or answer type is
 * written twice. Every call resolves with an {@link Ack}; network failures and
 * answers that are not an Ack become `unavailable` failures, so callers handle
 * one shape.
 *
 * @example
 * const client = createClient({ onUnauthorized: () => showLogin() });
 * const ack = await client.call('approveNotice', { params: { id }, body: { attestation } });
 * const csv = client.href('statsCsv', { query: { from: '2026-01-01', to: '2026-12-31' } });
 */
import {
  API_ROUTES,
  type Ack,
  type Answer,
  type AnswerOf,
  type ApiRoutes,
  type BodyOf,
  type Failure,
  type QueryOf,
  type RouteArgs,
  type RouteName,
  type RouteSpec,
  fail,
} from '@protocol';

/** Routes that answer an Ack (called with {@link ApiClient.call}). */
export type JsonRoute = { [K in RouteName]: ApiRoutes[K]['answer'] extends Answer<'json', unknown> ? K : never }[RouteName];
/** Routes the browser follows itself: downloads, documents, photos (addressed with {@link ApiClient.href}). */
export type FileRoute = { [K in RouteName]: ApiRoutes[K]['answer'] extends Answer<'file', unknown> ? K : never }[RouteName];

/** The type inside the Ack route `K` answers. */
export type RouteAnswer<K extends RouteName> = AnswerOf<ApiRoutes[K]>;
/** What route `K` takes as its body. */
export type RouteBody<K extends RouteName> = BodyOf<ApiRoutes[K]>;
/** What route `K` takes in its query string. */
export type RouteQuery<K extends RouteName> = QueryOf<ApiRoutes[K]>;

/** A route's path parameters, query and body: required when it has any, left out when it has none. */
type ArgsOf<K extends RouteName> = keyof RouteArgs<ApiRoutes[K]> extends never
  ? [args?: Record<never, never>]
  : [args: RouteArgs<ApiRoutes[K]>];

/** A refusal after too many requests, with the wait the controller asked for (`Retry-After`). */
export interface RateLimited extends Failure {
  error: 'rate_limited';
  retryAfterSec: number;
}

export function isRateLimited(failure: Failure | null): failure is RateLimited {
  return failure !== null && failure.error === 'rate_limited' && typeof (failure as Partial<RateLimited>).retryAfterSec === 'number';
}

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Called when a signed-in call comes back `unauthorized` (the session ended). */
  onUnauthorized?: () => void;
}

export interface ApiClient {
  call: <K extends JsonRoute>(name: K, ...args: ArgsOf<K>) => Promise<Ack<RouteAnswer<K>>>;
  /** The address of a download or document, for a link or a new window. */
  href: <K extends FileRoute>(name: K, ...args: ArgsOf<K>) => string;
}

/**
 * `/auth/me` asks whether there is a session at all: its `unauthorized` is the answer, not a session that ended.
 * Public routes never had one.
 */
const SESSION_PROBES: ReadonlySet<RouteName> = new Set<RouteName>(['me']);

/** `?state=draft&page=2`, leaving out empty values. */
export function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface LooseArgs {
  params?: Record<string, string | number>;
  query?: object;
  body?: unknown;
}

/** `/api/notices/a%2Fb/approve` for `approveNotice` with `{ id: 'a/b' }`, plus the query string. */
export function routeUrl(spec: RouteSpec, args: LooseArgs = {}): string {
  const path = spec.path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = args.params?.[name];
    if (value === undefined) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  return `${spec.at === 'site' ? '' : '/api'}${path}${args.query ? queryString(args.query) : ''}`;
}

const isAck = (value: unknown): value is Ack<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

export function createClient(options: ClientOptions = {}): ApiClient {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const table: Record<string, RouteSpec> = API_ROUTES;

  async function call(name: RouteName, args: LooseArgs = {}): Promise<Ack<unknown>> {
    const spec = table[name];
    if (!spec) return fail('not_found', `no route ${name} in the contract`);
    const method = spec.method.toUpperCase();
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const raw = spec.body === 'raw' && args.body instanceof Blob ? args.body : null;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (raw) headers['content-type'] = raw.type || 'application/octet-stream';
    else if (hasBody) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchFn(routeUrl(spec, args), {
        method,
        credentials: 'same-origin',
        headers,
        body: raw ?? (hasBody ? JSON.stringify(args.body ?? {}) : undefined),
      });
    } catch {
      return fail('unavailable', 'the controller cannot be reached');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    // The controller owns this contract (the route table): its JSON bodies are Acks of the route's answer.
    const ack: Ack<unknown> = isAck(json)
      ? json
      : fail(response.status === 401 ? 'unauthorized' : 'unavailable', `unexpected answer from the controller (HTTP ${response.status})`);
    if (ack.ok) return ack;
    if (ack.error === 'unauthorized' && spec.access !== 'public' && !SESSION_PROBES.has(name)) options.onUnauthorized?.();
    const retryAfterSec = Number(response.headers.get('retry-after') ?? '');
    if (ack.error === 'rate_limited' && Number.isFinite(retryAfterSec) && retryAfterSec > 0) {
      const limited: RateLimited = { ...ack, error: 'rate_limited', retryAfterSec };
      return limited;
    }
    return ack;
  }

  return {
    call: <K extends JsonRoute>(name: K, ...args: ArgsOf<K>) => call(name, args[0]) as Promise<Ack<RouteAnswer<K>>>,
    href: <K extends FileRoute>(name: K, ...args: ArgsOf<K>) => {
      const spec = table[name];
      if (!spec) throw new Error(`no route ${name} in the contract`);
      return routeUrl(spec, args[0]);
    },
  };
}
