import { describe, expect, it, vi } from 'vitest';
import { createHttpApi, isRateLimited } from '../../admin/lib/api';

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

  it('sends each lifecycle step to its route with its body, escaping the id', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: {} }));
    const api = createHttpApi({ fetch });
    const attestation = {
      noStateSecret: true,
      noCommercialSecret: true,
      noUnmaskedPersonalData: true,
      checkedAgainstSource: true,
      opinion: '',
    } as const;
    await api.approveNotice('a/b', { attestation });
    await api.maskNotice('n1');
    await api.submitNotice('n1');
    await api.submitNotice('n1', '公示需要');
    await api.rejectNotice('n1', '请脱敏');
    await api.withdrawNotice('n1', '内容有误');
    await api.editNotice('n1', { content: { title: 't', body: 'b', target: { scope: 'town' } }, correctionReason: '日期写错' });
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${c.init?.body as string}`)).toEqual([
      `POST /api/notices/a%2Fb/approve ${JSON.stringify({ attestation })}`,
      'POST /api/notices/n1/mask {}',
      'POST /api/notices/n1/submit {}',
      'POST /api/notices/n1/submit {"privacyOverrideRequest":"公示需要"}',
      'POST /api/notices/n1/reject {"reason":"请脱敏"}',
      'POST /api/notices/n1/withdraw {"reason":"内容有误"}',
      'PUT /api/notices/n1/draft {"content":{"title":"t","body":"b","target":{"scope":"town"}},"correctionReason":"日期写错"}',
    ]);
  });

  it('asks for a page of notices with only the filters that are set', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: { items: [], total: 0, page: 2, pageSize: 20 } }));
    const ack = await createHttpApi({ fetch }).notices({ state: 'pending_review', q: '低保 公示', villageId: '', page: 2, pageSize: 20 });
    expect(calls[0]?.url).toBe('/api/notices?state=pending_review&q=%E4%BD%8E%E4%BF%9D+%E5%85%AC%E7%A4%BA&page=2&pageSize=20');
    expect(ack).toEqual({ ok: true, data: { items: [], total: 0, page: 2, pageSize: 20 } });
  });

  it('manages users and villages with PATCH and POST', async () => {
    const { calls, fetch } = fakeFetch(() => json({ ok: true, data: {} }));
    const api = createHttpApi({ fetch });
    await api.updateUser('u 1', { disabled: true });
    await api.resetPassword('u1', 'Qiuyue-2026-huanghe');
    await api.renameVillage('v2', '张堂村');
    expect(calls.map((c) => `${c.init?.method} ${c.url} ${c.init?.body as string}`)).toEqual([
      'PATCH /api/users/u%201 {"disabled":true}',
      'POST /api/users/u1/reset-password {"newPassword":"Qiuyue-2026-huanghe"}',
      'PATCH /api/villages/v2 {"name":"张堂村"}',
    ]);
  });

  it('keeps the wait the controller asks for after too many failed sign-ins', async () => {
    const refusal = { ok: false, error: 'rate_limited', message: 'too many failed sign-ins; try again in 8 s' };
    const { fetch } = fakeFetch(() => new Response(JSON.stringify(refusal), { status: 429, headers: { 'retry-after': '8' } }));
    const ack = await createHttpApi({ fetch }).login({ username: 'a', password: 'b' });
    expect(ack).toEqual({ ...refusal, retryAfterSec: 8 });
    expect(isRateLimited(ack.ok ? null : ack)).toBe(true);
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
