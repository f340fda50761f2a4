/**
 * A village node from the staff's side, in Chromium: the real node program
 * as a child process prints its code; the admin pairs it as a 村级节点 on the
 * devices page; attaches a new sign (a BX emulator behind a real pty) to it
 * in the sign dialog; sees the node and its sign supervised (online, build,
 * clock, queue, the sign's link and what it shows); runs the test pattern on
 * the sign through the node; edits the node (name, village, place and its
 * signs, no on-hours: a node has no screen); sees the offline alert rise when
 * the node process is killed with SIGKILL and clear when it comes back; and
 * revokes it, which the node hears at once.
 *
 * GONGSHI_SHOTS=<dir> saves each changed screen at 1366×768.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type ApiClient, type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { type NodeProcess, type PtySign, openPtySign, poll, startNodeProcess } from '../helpers/node.js';
import { hasSocat } from '../helpers/pty.js';
import { openPage, signIn } from './staff.js';

const SHOTS = process.env.GONGSHI_SHOTS;
const NODE_NAME = '宋营村村级节点';
const SIGN_NAME = '宋营村村口屏';

describe.skipIf(!chromiumPath || !hasSocat())('village nodes in the admin (Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  let sign: PtySign;
  let nodeDir: string;
  let node: NodeProcess | null = null;
  let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
  /** Moves the controller's clock on, so the killed node is overdue for the offline alert without waiting for it. */
  let shiftMs = 0;

  const shot = async (page: Page, name: string): Promise<void> => {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `nodes-${name}.png`) });
  };

  beforeAll(async () => {
    t = await startController({ clock: { now: () => Date.now() + shiftMs } });
    clients = await staff(t);
    data(
      (
        await clients.admin.request('PUT', '/api/settings/devices', {
          offlineAlertMinutes: 5,
          rotationBoundsSec: { min: 5, max: 5 },
        })
      ).body,
    );
    browser = await launchChromium();
    sign = await openPtySign();
    nodeDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-e2e-node-'));
  }, 180_000);

  afterAll(async () => {
    await node?.kill9();
    await browser?.close();
    await t?.dispose();
    await sign?.close();
    if (nodeDir) await rm(nodeDir, { recursive: true, force: true });
  });

  it('pairs a node by its code, attaches a sign to it, supervises both, and raises and clears the offline alert', async () => {
    // A notice for 宋营村 (v3), so the sign behind the node has something of its village to show.
    const draft = data(
      (
        await clients.editor.post<Notice>('/api/notices', {
          title: '宋营村秋季征兵公示',
          body: '应征青年名单见村务公开栏。',
          ledText: '宋营村秋季征兵公示',
          target: { scope: 'villages', villageIds: ['v3'] },
        })
      ).body,
    );
    data((await clients.editor.post(`/api/notices/${draft.id}/submit`)).body);
    data((await clients.reviewer.post(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);

    node = startNodeProcess(t.url, nodeDir);
    const code = await node.code();

    const { page, errors } = await openPage(browser, 'admin', { viewport: { width: 1366, height: 768 } });
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('heading', { name: '设备', level: 1 }).waitFor();

    // 配对村级节点, by keyboard: the dialog opens on the code with 村级节点 chosen.
    await page.getByRole('button', { name: '配对村级节点' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '配对村级节点' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pair-code');
    expect(await dialog.getByLabel(/^村级节点：/).isChecked()).toBe(true);
    await page.keyboard.type(code);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NODE_NAME);
    await dialog.getByLabel('所属村').selectOption({ label: '宋营村' });
    await dialog.getByLabel('安放位置').fill('村委会办公室');
    await shot(page, 'pair-dialog');
    await dialog.getByLabel('安放位置').press('Enter');
    await page.getByText(`已配对 ${NODE_NAME}。村级节点将在几秒内连接，并开始驱动挂在它下面的 LED 屏。`).waitFor();

    const nodeId = data((await clients.admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.name === NODE_NAME)?.id ?? '';
    expect(data((await clients.admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === nodeId)?.kind).toBe('node');
    const row = page.locator(`tr[data-device-id="${nodeId}"]`);
    await row.locator('[data-online="true"]').waitFor({ timeout: 20_000 });
    await row.getByText('村级节点', { exact: true }).waitFor();
    expect(await row.getByText('打开展示页').count()).toBe(0);
    await row.getByText('还没有挂接 LED 屏', { exact: false }).waitFor();

    // Attach a new sign to the node in the sign dialog.
    await page.getByRole('link', { name: 'LED 屏' }).click();
    await page.getByRole('button', { name: '添加LED屏' }).click();
    const signDialog = page.getByRole('dialog', { name: '添加LED屏' });
    await signDialog.getByLabel('编号').fill('sign-songying-1');
    await signDialog.getByLabel('名称').fill(SIGN_NAME);
    await signDialog.getByLabel('所属村').selectOption({ label: '宋营村' });
    await signDialog.getByLabel('驱动方式').selectOption({ label: `村级节点：${NODE_NAME}（宋营村，在线）` });
    await signDialog.getByLabel('端口路径').fill(sign.pair.host);
    await signDialog.getByLabel('波特率').selectOption('57600');
    await signDialog.getByLabel('宽（像素）').fill('192');
    await signDialog.getByLabel('高（像素）').fill('32');
    await shot(page, 'sign-dialog');
    await signDialog.getByRole('button', { name: '保存配置' }).click();
    await page.getByText(`${SIGN_NAME}的配置已保存`).waitFor();
    const card = page.locator('li.sign-card[data-sign="sign-songying-1"]');
    await card.getByText(`经村级节点“${NODE_NAME}”驱动`).waitFor();
    // The node drives it: the emulator behind the pty hears from the node, and the card says it is linked.
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith('宋营村秋季征兵公示')), 90_000);
    await card.locator('.sign-link-up').waitFor({ timeout: 20_000 });
    // Staff's buttons work through the node: the test pattern reaches the sign behind it.
    await card.getByRole('button', { name: '测试图案' }).click();
    await page.getByText(`${SIGN_NAME}：测试图案完成`).waitFor({ timeout: 30_000 });
    expect(sign.emu.texts().join('')).toMatch(/测试TEST/);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'signs-page');

    // The devices page supervises the node and the sign behind it.
    await page.getByRole('link', { name: '设备' }).click();
    const signs = row.getByRole('list', { name: '所驱动的 LED 屏' });
    await signs.getByText(`${SIGN_NAME}：已连接`).waitFor({ timeout: 20_000 });
    await signs.getByText(/宋营村秋季征兵公示 · 屏已确认/).waitFor({ timeout: 60_000 });
    await row.getByText(/^node-/).waitFor();
    await row.locator('[data-clock-flag="false"]').waitFor();
    await row.getByText(/待发送 \d+/).waitFor();
    await shot(page, 'devices-node');

    // The node's edit dialog: what belongs to a node — name, village, place and the signs behind it; no on-hours.
    await page.getByRole('button', { name: `编辑 ${NODE_NAME}` }).click();
    const edit = page.getByRole('dialog', { name: `编辑村级节点 ${NODE_NAME}` });
    await edit.waitFor();
    expect(await edit.getByText('开机时段').count()).toBe(0);
    expect(await edit.getByRole('radio').count()).toBe(0);
    const attached = edit.getByRole('region', { name: '挂在这个节点下的 LED 屏' });
    await attached.getByText(`${SIGN_NAME}（宋营村，${sign.pair.host}） · 已连接`).waitFor();
    await attached.getByText(/在“LED 屏”页编辑/).waitFor();
    await shot(page, 'edit-node');
    await edit.getByLabel('安放位置').fill('村委会二楼机房');
    await edit.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已保存 ${NODE_NAME}。`).waitFor();
    await row.getByText('村委会二楼机房').waitFor();
    // The controller refuses on-hours for a node, naming the field, and changes nothing.
    const refused = await clients.admin.request('PATCH', `/api/devices/${nodeId}`, {
      onHours: { utcOffsetMinutes: 480, weekly: [[[480, 1080]], [], [], [], [], [], []] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ fields: { onHours: expect.any(String) } });

    // The node dies: offline at once, and past the town's 5 minutes the alert names it.
    await node.kill9();
    await row.locator('[data-online="false"]').waitFor({ timeout: 20_000 });
    shiftMs = 6 * 60_000;
    const alert = page.getByRole('region', { name: /台设备离线超过 5 分钟/ });
    // The controller's periodic check pushes the alert; the page's own refresh would show it too.
    await alert.getByText(new RegExp(`^${NODE_NAME}（宋营村）最后在线`)).waitFor({ timeout: 70_000 });
    await row.getByText('节点离线，以下是它最后报告的状态').waitFor();
    await shot(page, 'devices-node-offline');

    // It comes back from its stored token and schedule: the alert clears, live.
    node = startNodeProcess(t.url, nodeDir);
    await row.locator('[data-online="true"]').waitFor({ timeout: 30_000 });
    await alert.getByText(new RegExp(`^${NODE_NAME}`)).waitFor({ state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
  }, 300_000);

  it('revokes the node from the admin, and the node hears it at once and shows a new code', async () => {
    const { page } = await openPage(browser, 'admin-revoke', { viewport: { width: 1366, height: 768 } });
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('button', { name: `吊销 ${NODE_NAME}` }).click();
    const dialog = page.getByRole('dialog', { name: `吊销设备 ${NODE_NAME}` });
    await dialog.getByText(/这个村级节点立即断开，停止驱动它下面的 LED 屏/).waitFor();
    await dialog.getByLabel('吊销原因').fill('节点主机更换');
    await shot(page, 'revoke-node');
    const printed = node?.output().length ?? 0;
    const revokedAt = Date.now();
    await dialog.getByRole('button', { name: '确认吊销' }).click();
    await page.getByText(`已吊销 ${NODE_NAME}。`).waitFor();
    expect(await node!.code(printed)).toMatch(/^\d{6}$/);
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    await poll(() => /revoked/.test(node?.output().slice(printed) ?? ''), 'the node never said it was revoked');
  }, 120_000);
});
