/**
 * `/n/:id`, the public page a kiosk's QR code opens: real controller, real
 * HTTP. Only published text is shown, always escaped; withdrawn and corrected
 * notices are marked; anything else is a Chinese 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../controller/protocol/index.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let editor: ApiClient;
let reviewer: ApiClient;

beforeAll(async () => {
  t = await startController();
  ({ editor, reviewer } = await staff(t));
  // Three password logins (scrypt) on a busy 2-core machine can pass the default 10 s.
}, 30_000);
afterAll(async () => {
  await t.dispose();
});

const content = (title: string, body: string) => ({ title, body, target: { scope: 'town' }, category: 'v-affairs' });

async function publish(title: string, body: string): Promise<Notice> {
  const notice = data((await editor.post<Notice>('/api/notices', content(title, body))).body);
  data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
  return data((await reviewer.post<Notice>(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
}

async function getPage(path: string): Promise<{ status: number; type: string; text: string; csp: string }> {
  const res = await fetch(`${t.url}${path}`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
    csp: res.headers.get('content-security-policy') ?? '',
  };
}

describe('public notice page', () => {
  it('shows a published notice with its issuer, category and posting period, escaped, without scripts', async () => {
    const notice = await publish('关于<script>alert(1)</script>修路的通知', '各位村民：\n\n施工期间请绕行 <b>东路</b> & 注意安全。');
    const page = await getPage(`/n/${notice.id}`);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('<meta name="viewport"');
    expect(page.text).toContain('关于&lt;script&gt;alert(1)&lt;/script&gt;修路的通知');
    expect(page.text).toContain('施工期间请绕行 &lt;b&gt;东路&lt;/b&gt; &amp; 注意安全。');
    expect(page.text).not.toMatch(/<script|<b>/);
    expect(page.text).toContain('彪角镇人民政府');
    expect(page.text).toContain('村务公开');
    expect(page.text).toContain('长期');
    expect(page.text).toContain('<link rel="stylesheet" href="/n/style.css">');
    expect(page.csp).toContain("script-src 'self'");
    const css = await getPage('/n/style.css');
    expect(css.status).toBe(200);
    expect(css.type).toMatch(/text\/css/);
  });

  it('answers a Chinese 404 for unknown ids and for notices never published', async () => {
    const unknown = await getPage('/n/no-such-notice');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('未找到这条公告');
    const draft = data((await editor.post<Notice>('/api/notices', content('尚未审核的草稿', '草稿正文不可公开'))).body);
    const unpublished = await getPage(`/n/${draft.id}`);
    expect(unpublished.status).toBe(404);
    expect(unpublished.text).not.toContain('草稿正文不可公开');
    expect((await getPage(`/n/${draft.id}/qr.svg`)).status).toBe(404);
  });

  it('shows the correction (更正) with its reason, never the superseded text, nor an unpublished revision', async () => {
    const notice = await publish('低保补助标准公示', '补助金额每月300元。');
    await editor.request('PUT', `/api/notices/${notice.id}/draft`, {
      content: content('低保补助标准公示', '补助金额每月350元。'),
      correctionReason: '金额录入错误',
    });
    const pending = await getPage(`/n/${notice.id}`);
    expect(pending.text).toContain('每月300元');
    expect(pending.text).not.toContain('每月350元');
    data((await editor.post(`/api/notices/${notice.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${notice.id}/approve`, { attestation: ATTESTATION })).body);
    const corrected = await getPage(`/n/${notice.id}`);
    expect(corrected.text).toContain('每月350元');
    expect(corrected.text).not.toContain('每月300元');
    expect(corrected.text).toMatch(/<strong>更正<\/strong>[^<]*金额录入错误/);
  });

  it('marks a withdrawn notice (撤回) with the date and reason and no longer shows its text', async () => {
    const notice = await publish('宅基地审批结果公示', '审批通过的名单如下：某某某。');
    data((await reviewer.post(`/api/notices/${notice.id}/withdraw`, { reason: '名单有误，核实后重新公示' })).body);
    const page = await getPage(`/n/${notice.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('已撤回');
    expect(page.text).toMatch(/已于\d{4}年\d{1,2}月\d{1,2}日撤回/);
    expect(page.text).toContain('名单有误，核实后重新公示');
    expect(page.text).toContain('宅基地审批结果公示');
    expect(page.text).not.toContain('某某某');
  });

  it('serves a QR code (SVG) for a published notice', async () => {
    const notice = await publish('冬季用电安全提示', '请勿私拉乱接电线。');
    const qr = await getPage(`/n/${notice.id}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.type).toMatch(/image\/svg\+xml/);
    expect(qr.text).toMatch(/^<svg[^>]*viewBox/);
    expect(qr.text).toContain('<path');
  });
});
