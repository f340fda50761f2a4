/**
 * A device's ledger witness alarm reaches the open devices page live, in
 * Chromium: the real node program (a child process) is paired and takes the
 * controller's signed checkpoint; with the devices page open, the node is
 * killed (SIGKILL), its witness.json is damaged and it is started again. It
 * reports a `checkpoint-unreadable` alarm, and within a couple of seconds of
 * the controller hearing it the node's row shows 账本见证告警 with the node's
 * message, without a reload (the page's own refresh is a minute). Staff put
 * the file right and restart the node: it checks the ledger, reports that no
 * alarm stands, and the row's alarm goes just as fast.
 *
 * The same for a kiosk in Chromium whose saved checkpoint (browser storage)
 * is damaged: its screen says so in words for staff, not as a ledger mismatch,
 * its row shows the alarm live, and resetting its storage lifts it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WITNESS_FILE } from '../../controller/node/witness.js';
import type { DeviceView, WitnessState } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { type ApiClient, type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { type NodeProcess, pairAsNode, poll, startNodeProcess } from '../helpers/node.js';
import { openPage, signIn } from './staff.js';

/** How soon after the controller hears a change the row must show it: the push, not the page's minute refresh. */
const LIVE_MS = 3_000;

describe.skipIf(!chromiumPath)('ledger witness alarms on the devices page, live (Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  let admin: ApiClient;
  let nodeDir: string;
  let node: NodeProcess | null = null;

  beforeAll(async () => {
    t = await startController();
    ({ admin } = await staff(t));
    browser = await launchChromium();
    nodeDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-e2e-witness-'));
  }, 180_000);

  afterAll(async () => {
    await node?.kill9();
    await browser?.close();
    await t?.dispose();
    if (nodeDir) await rm(nodeDir, { recursive: true, force: true });
  });

  const deviceOf = async (id: string): Promise<DeviceView | undefined> =>
    data((await admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === id);

  it('shows a node’s alarm on its row as it rises, and takes it away as it clears', async () => {
    node = startNodeProcess(t.url, nodeDir);
    const nodeId = await pairAsNode(admin, await node.code(), 'v3', '宋营村见证节点');
    const file = path.join(nodeDir, WITNESS_FILE);
    await poll(
      async () => (JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Partial<WitnessState>).checkpoint != null,
      () => `the node took no checkpoint:\n${node?.output() ?? ''}`,
      30_000,
    );
    const good = await readFile(file, 'utf8');

    const { page, errors } = await openPage(browser, 'admin', { viewport: { width: 1366, height: 768 } });
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('heading', { name: '设备', level: 1 }).waitFor();
    const row = page.locator(`tr[data-device-id="${nodeId}"]`);
    await row.locator('[data-online="true"]').waitFor({ timeout: 20_000 });
    expect(await row.locator('[data-witness-alarm]').count()).toBe(0);

    // The node's file is cut short while it is down; it comes back and reports the alarm.
    await node.kill9();
    await writeFile(file, good.slice(0, 40));
    node = startNodeProcess(t.url, nodeDir);
    await poll(
      async () => (await deviceOf(nodeId))?.witnessAlarm != null,
      () => `no alarm reached the controller:\n${node?.output() ?? ''}`,
      30_000,
    );
    const flag = row.locator('[data-witness-alarm="checkpoint-unreadable"]');
    await flag.waitFor({ timeout: LIVE_MS });
    expect(await flag.getAttribute('role')).toBe('alert');
    const text = (await flag.textContent()) ?? '';
    expect(text).toContain('账本见证告警：设备无法读取自己保存的检查点');
    expect(text).toContain(`账本见证文件 ${file} 已损坏`);
    expect(text).toContain(`The ledger witness file ${file} is damaged`);
    // The ledger alarm on every page follows as fast.
    const banner = page.locator(`.ledger-alarm [data-device="${nodeId}"]`);
    await banner.waitFor({ timeout: LIVE_MS });

    // Staff put the file back; the node checks the ledger from it, reports that none stands, and the row clears.
    await node.kill9();
    await writeFile(file, good);
    node = startNodeProcess(t.url, nodeDir);
    await poll(
      async () => (await deviceOf(nodeId))?.witnessAlarm === null,
      () => `the alarm never cleared:\n${node?.output() ?? ''}`,
      30_000,
    );
    await flag.waitFor({ state: 'detached', timeout: LIVE_MS });
    await banner.waitFor({ state: 'detached', timeout: LIVE_MS });
    await row.locator('[data-online="true"]').waitFor({ timeout: LIVE_MS });
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows a kiosk’s alarm when its saved checkpoint is damaged, and takes it away when staff reset the kiosk', async () => {
    const DEVICE = 'demo-kiosk-v1';
    const key = `gongshi.witness.${DEVICE}`;
    const { page, errors } = await openPage(browser, 'admin', { viewport: { width: 1366, height: 768 } });
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('heading', { name: '设备', level: 1 }).waitFor();
    const row = page.locator(`tr[data-device-id="${DEVICE}"]`);
    await row.waitFor();

    const kiosk = await openPage(browser, 'kiosk', {
      viewport: { width: 1080, height: 1920 },
      expected: [/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/],
    });
    const checkpointKept = (): Promise<unknown> =>
      kiosk.page.waitForFunction((k) => (JSON.parse(localStorage.getItem(k) ?? '{}') as { checkpoint?: unknown }).checkpoint, key, {
        timeout: 20_000,
      });
    await kiosk.page.goto(`${t.url}/kiosk/?device=${DEVICE}`);
    await checkpointKept();
    expect(await row.locator('[data-witness-alarm]').count()).toBe(0);

    // The saved checkpoint is cut short (storage damaged); the kiosk starts again.
    await kiosk.page.evaluate((k) => localStorage.setItem(k, (localStorage.getItem(k) ?? '').slice(0, 50)), key);
    await kiosk.page.reload();
    const screenAlarm = kiosk.page.locator('.kiosk-ledger-alarm[data-alarm="checkpoint-unreadable"]');
    await screenAlarm.waitFor({ timeout: 20_000 });
    expect(await screenAlarm.textContent()).toContain('本机保存的账本检查点无法读取，请告知镇政务公开办');
    expect(await screenAlarm.textContent()).not.toContain('公开账本核对异常');
    await poll(async () => (await deviceOf(DEVICE))?.witnessAlarm != null, 'no alarm from the kiosk reached the controller', 30_000);
    const flag = row.locator('[data-witness-alarm="checkpoint-unreadable"]');
    await flag.waitFor({ timeout: LIVE_MS });
    expect(await flag.textContent()).toContain(`浏览器存储 ${key}`);
    // The damaged entry is left as it was: no new checkpoint taken over it.
    expect(await kiosk.page.evaluate((k) => localStorage.getItem(k)?.length, key)).toBe(50);

    // Staff reset the kiosk's storage: it takes the current head afresh, says no alarm stands, and the row clears.
    await kiosk.page.evaluate((k) => localStorage.removeItem(k), key);
    await kiosk.page.reload();
    await checkpointKept();
    await poll(async () => (await deviceOf(DEVICE))?.witnessAlarm === null, 'the kiosk’s alarm never cleared', 30_000);
    await flag.waitFor({ state: 'detached', timeout: LIVE_MS });
    expect(await kiosk.page.locator('.kiosk-ledger-alarm').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(kiosk.errors).toEqual([]);
  }, 240_000);
});
