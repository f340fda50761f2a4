import { describe, expect, it, vi } from 'vitest';
import { createHttpApi } from '../../admin/lib/api';

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, init });
    return Promise.resolve(respond(url));
  };
  return { calls, fetch };
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('admin HTTP API', () => {
  it('posts JSON with the session cookie and returns the Ack', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: { id: 'n1' } }, 201));
    const api = createHttpApi({ fetch });
    const ack = await api.createNotice({ title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v2'] } });
    expect(ack).toEqual({ ok: true, data: { id: 'n1' } });
    const [call] = calls;
    expect(call?.url).toBe('/api/notices');
    expect(call?.init?.method).toBe('POST');
    expect(call?.init?.credentials).toBe('same-origin');
    expect(call?.init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(JSON.parse(call?.init?.body as string)).toEqual({ title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v2'] } });
  });

  it('posts an empty object for lifecycle steps and escapes the id', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: {} }));
    await createHttpApi({ fetch }).approveNotice('a/b');
    expect(calls[0]?.url).toBe('/api/notices/a%2Fb/approve');
    expect(calls[0]?.init?.body).toBe('{}');
  });

  it('asks for records with a limit', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: [] }));
    await createHttpApi({ fetch }).records(100);
    expect(calls[0]?.url).toBe('/api/records?limit=100');
    expect(calls[0]?.init?.method).toBe('GET');
  });

  it('passes the controller’s refusal through, fields and all', async () => {
    const refusal = { ok: false, error: 'invalid_payload', message: 'title: enter a title', fields: { title: 'enter a title' } };
    const { fetch } = fakeFetch(() => json(refusal, 400));
    expect(await createHttpApi({ fetch }).createNotice({ title: '', body: 'b', target: { scope: 'town' } })).toEqual(refusal);
  });

  it('turns a network failure or a non-JSON answer into `unavailable`', async () => {
    const down = createHttpApi({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await down.notices()).toMatchObject({ ok: false, error: 'unavailable' });
    const proxy = createHttpApi({ fetch: fakeFetch(() => new Response('<html>502</html>', { status: 502 })).fetch });
    expect(await proxy.notices()).toMatchObject({ ok: false, error: 'unavailable' });
  });

  it('reports an ended session on signed-in calls, not on a failed sign-in', async () => {
    const onUnauthorized = vi.fn();
    const { fetch } = fakeFetch(() => json({ ok: false, error: 'unauthorized', message: 'sign in first' }, 401));
    const api = createHttpApi({ fetch, onUnauthorized });
    await api.login({ username: 'a', password: 'b' });
    await api.me();
    expect(onUnauthorized).not.toHaveBeenCalled();
    await api.devices();
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
