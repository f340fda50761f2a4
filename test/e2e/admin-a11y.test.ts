/**
 * axe-core in Chromium on every admin page and dialog: no serious or critical
 * violation anywhere. Pages are reached the way staff reach them, with real
 * content in them (privacy hits, characters the LED font lacks, a revision
 * diff), so the checks see the busiest state of each screen.
 */
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import type { Notice, NoticePage } from '../../controller/protocol/index.js';
import { type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { pairKiosk, troubledKiosk } from './kiosks.js';
import { openPage, signIn } from './staff.js';

const AXE_PATH = path.resolve('node_modules/axe-core/axe.min.js');

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now and returns its serious and critical violations. */
async function audit(page: Page, screen: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  if (process.env.AXE_VERBOSE) {
    process.stdout.write(
      `[${screen}] ${results.passes.length} rules passed; needs review: ${results.incomplete.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(' ')})`).join(', ') || 'none'}\n`,
    );
    for (const v of results.violations)
      process.stdout.write(`[${screen}] ${v.impact ?? ''} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}\n`);
  }
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

describe.skipIf(!chromiumPath)('admin accessibility (axe-core in Chromium)', () => {
  let t: TestController;
  let browser: Browser;
  const findings: Finding[] = [];
  const checked: string[] = [];
  /** Moves the controller's clock on, so kiosks that have not connected are overdue for the offline alert. */
  let shiftMs = 0;

  const check = async (page: Page, screen: string): Promise<void> => {
    checked.push(screen);
    findings.push(...(await audit(page, screen)));
  };

  beforeAll(async () => {
    t = await startController({ clock: { now: () => Date.now() + shiftMs } });
    browser = await launchChromium();
    // A published notice with a pending revision, so the review screen has a diff to show.
    const { editor } = await staff(t);
    const list = await editor.get<{ items: { id: string; title: string }[] }>('/api/notices?state=approved');
    const target = data(list.body).items.find((n) => n.title.includes('张堂村低保'));
    if (!target) throw new Error('demo notice missing');
    await editor.request('PUT', `/api/notices/${target.id}/draft`, {
      content: {
        title: '张堂村低保对象动态调整公示',
        body: '经村民代表会议评议、镇政府审核，拟新增低保对象3户，停保1户。名单见村务公开栏。\n\n公示期7天。',
        target: { scope: 'villages', villageIds: ['v2'] },
        posting: { rule: { kind: 'calendar_days', days: 7 } },
      },
      correctionReason: '新增户数写错',
    });
    data((await editor.post(`/api/notices/${target.id}/submit`)).body);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('reports what it should: a control page with an unlabelled input and low-contrast text fails', async () => {
    const { page } = await openPage(browser, 'a11y-control', { bypassCSP: true });
    await page.setContent(
      '<html lang="zh-CN"><title>x</title><main><input type="text"><p style="color:#bbb;background:#fff">低对比度</p></main></html>',
    );
    const rules = (await audit(page, 'control')).map((f) => f.rule).sort();
    expect(rules).toEqual(['color-contrast', 'label']);
  });

  it('finds no serious or critical violation on any page or dialog', async () => {
    const { page } = await openPage(browser, 'a11y', { expected: [/status of (401|422)/], bypassCSP: true });

    await page.goto(`${t.url}/admin/`);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').waitFor();
    await check(page, 'login (with an error)');

    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.locator('tr[data-notice-id]').first().waitFor();
    await check(page, 'notice list');

    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('dialog', { name: '修改密码' }).getByRole('button', { name: '保存新密码' }).click();
    await page.getByText('请输入当前密码').waitFor();
    await check(page, 'change password dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: '新建公告' }).click();
    await page.getByLabel('标题').fill('张堂村临时救助对象公示');
    await page.getByLabel('正文').fill('李秀英，电话13812345678，邮箱 lixiuying@example.com。');
    await page.getByLabel('LED 屏文字').fill('王喆家临时救助公示');
    await page.getByLabel('这是应急预警信息').check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('请填写预警解除时间').waitFor();
    await check(page, 'editor (privacy hits, LED font gaps, field errors)');
    await page.getByLabel('这是应急预警信息').uncheck();
    await page.getByLabel('张堂村').check();
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByRole('region', { name: '不能提交：内容含未脱敏的个人信息' }).waitFor();
    await check(page, 'editor (submission blocked)');

    await page.getByRole('link', { name: /审核/ }).click();
    await page.locator('.queue-item a').first().click();
    await page.locator('.diff del').first().waitFor();
    await check(page, 'review (revision diff)');
    await page.getByRole('button', { name: '审核通过并发布' }).click();
    await page.getByRole('dialog', { name: '审核通过并发布' }).getByRole('button', { name: '确认发布' }).click();
    await page.getByText('请确认不含国家秘密').waitFor();
    await check(page, 'approve dialog (with errors)');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '驳回' }).click();
    await page.getByRole('dialog', { name: '驳回' }).waitFor();
    await check(page, 'reject dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: '公告', exact: true }).click();
    await page.locator('tr[data-notice-id][data-state="approved"] a').first().click();
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    await page.getByRole('dialog', { name: '撤回公告' }).waitFor();
    await check(page, 'notice page and withdraw dialog');
    await page.keyboard.press('Escape');

    // An emergency warning the admin wrote: the approve dialog offers the one-reviewer fast path;
    // once live, its page lists which kiosks acknowledged it.
    const { admin: adminApi } = await staff(t);
    const warning = data(
      (
        await adminApi.post<Notice>('/api/notices', {
          title: '暴雨红色预警',
          body: '请立即转移至村委会避险点。',
          category: 'a20-emergency',
          target: { scope: 'villages', villageIds: ['v2'] },
          emergency: { level: 'red', expiresAt: Date.now() + 3600_000 },
        })
      ).body,
    );
    data((await adminApi.post(`/api/notices/${warning.id}/submit`)).body);
    await page.getByRole('link', { name: /审核/ }).click();
    await page.locator(`.queue-item[data-notice-id="${warning.id}"] a`).click();
    await page.getByRole('button', { name: '审核通过并发布' }).click();
    const approve = page.getByRole('dialog', { name: '审核通过并发布' });
    await approve.getByRole('button', { name: '确认发布' }).click();
    await approve.getByText('你编写了这条预警：请勾选应急快速签发，或请其他审核人审核').waitFor();
    await check(page, 'approve dialog (emergency fast path, with errors)');
    for (const item of ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对']) await approve.getByLabel(item).check();
    await approve.getByLabel('应急快速签发（单人审核，将记录在案）').check();
    await approve.getByRole('button', { name: '确认发布' }).click();
    await page.getByText('已审核通过并发布。').waitFor();
    await page.evaluate((id) => void (window.location.hash = `#notices/${id}`), warning.id);
    await page.getByRole('region', { name: '确认接收' }).locator('tr[data-device-id]').first().waitFor();
    await page.locator('[data-fast-path="true"]').waitFor();
    await check(page, 'emergency notice (acknowledgements, fast path in the history)');

    await page.getByRole('link', { name: '用户与村' }).click();
    await page.locator('tr[data-username="editor"]').waitFor();
    await page.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByText('请输入姓名').waitFor();
    await check(page, 'users and villages (form errors)');
    await page.getByRole('button', { name: '编辑 editor' }).click();
    await page.getByRole('dialog', { name: '编辑用户 editor' }).waitFor();
    await check(page, 'edit user dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '重置密码 editor' }).click();
    await page.getByRole('dialog', { name: '重置 editor 的密码' }).getByLabel('新密码').fill('12345678');
    await check(page, 'reset password dialog');
    await page.keyboard.press('Escape');

    // The devices page at its busiest: a kiosk with a wrong clock, queued, quarantined and lost receipts;
    // a revoked one; and, an hour on, the demo kiosks that never connected in the offline alert.
    const approved = data((await adminApi.get<NoticePage>('/api/notices?state=approved')).body).items;
    const shown = approved.find((n) => n.live !== null && n.live.content.emergency === null);
    if (!shown) throw new Error('no published notice for the kiosk to show');
    const troubled = await troubledKiosk(t.url, adminApi, shown, 'v2');
    const replaced = await pairKiosk(t.url, adminApi, { name: '旧触摸屏', villageId: 'v1' });
    data((await adminApi.post(`/api/devices/${replaced.deviceId}/revoke`, { reason: '设备更换' })).body);
    shiftMs = 3600_000;
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('region', { name: /台设备离线超过 30 分钟/ }).waitFor();
    await page.locator('[data-clock-flag="true"]').waitFor();
    await page.locator('tr[data-revoked="true"]').waitFor();
    // The demo village node, with the sign behind it and what it shows.
    await page.locator('tr[data-device-id="demo-node-v4"] ul.node-signs li').waitFor({ timeout: 30_000 });
    await check(page, 'devices (offline alert, clock and receipt flags, a revoked kiosk, a village node with its sign)');
    await page.getByRole('button', { name: '配对新触摸屏' }).click();
    const pair = page.getByRole('dialog', { name: '配对新触摸屏' });
    await pair.getByRole('button', { name: '配对' }).click();
    await pair.getByText('配对码是触摸屏或村级节点显示的 6 位数字').waitFor();
    await check(page, 'pair dialog (with errors)');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '配对村级节点' }).click();
    const pairNode = page.getByRole('dialog', { name: '配对村级节点' });
    await pairNode.getByRole('button', { name: '配对' }).click();
    await pairNode.getByText('请输入设备名称').waitFor();
    await check(page, 'pair village node dialog (with errors)');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '编辑 张堂村卫生室触摸屏' }).click();
    const edit = page.getByRole('dialog', { name: '编辑设备 张堂村卫生室触摸屏' });
    await edit.getByLabel('按星期设置').check();
    await edit.getByLabel('星期三第 1 段结束').fill('06:00');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.getByText('结束时间须晚于开始时间').waitFor();
    await check(page, 'edit device dialog (on-hours per weekday, with an error)');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '吊销 张堂村卫生室触摸屏' }).click();
    const revoke = page.getByRole('dialog', { name: '吊销设备 张堂村卫生室触摸屏' });
    await revoke.getByRole('button', { name: '确认吊销' }).click();
    await revoke.getByText('请填写吊销原因（丢失、更换等）').waitFor();
    await check(page, 'revoke dialog (with an error)');
    await page.keyboard.press('Escape');
    await page.getByLabel('离线提醒（分钟）').fill('2');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('至少 5 分钟').waitFor();
    await page.locator('details.link-option summary').click();
    await page.getByLabel('设备名称').waitFor();
    await check(page, 'device settings (with an error) and the pairing-link form');

    await page.getByRole('link', { name: 'LED 屏' }).click();
    await page.locator('li.sign-card[data-node="demo-node-v4"]').waitFor();
    await check(page, 'LED signs (the controller’s and one behind a village node)');
    await page.getByRole('button', { name: '添加LED屏' }).click();
    const signDialog = page.getByRole('dialog', { name: '添加LED屏' });
    await signDialog.getByLabel('驱动方式').selectOption('demo-node-v4');
    await signDialog.getByRole('button', { name: '保存配置' }).click();
    await signDialog.locator('.field-error').first().waitFor();
    await check(page, 'sign dialog (driven by a village node, with errors)');
    await page.keyboard.press('Escape');
    troubled.socket.disconnect();

    await page.getByRole('link', { name: '展示记录' }).click();
    await page.getByRole('heading', { name: '展示记录' }).waitFor();
    await check(page, 'display records');

    await page.getByRole('link', { name: '其他渠道' }).click();
    await page.getByRole('heading', { name: '其他渠道公开', level: 1 }).waitFor();
    await check(page, 'other channels');

    await page.getByRole('link', { name: '公开账本' }).click();
    await page.getByTestId('checkpoint-seq').waitFor();
    await check(page, 'disclosure ledger');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Notices' }).click();
    await page.locator('tr[data-notice-id]').first().waitFor();
    await check(page, 'notice list in English');

    // A new account must set its own password before anything else.
    const { admin } = await staff(t);
    const created = await admin.post('/api/users', {
      username: 'zhangsan',
      displayName: '张三',
      roles: ['editor'],
      villageIds: ['v2'],
      password: 'Qiuyue-2026-huanghe',
    });
    data(created.body);
    const fresh = await openPage(browser, 'a11y-forced', { bypassCSP: true });
    await fresh.page.goto(`${t.url}/admin/`);
    await fresh.page.getByLabel('用户名').fill('zhangsan');
    await fresh.page.getByLabel('密码').fill('Qiuyue-2026-huanghe');
    await fresh.page.getByRole('button', { name: '登录' }).click();
    await fresh.page.getByRole('heading', { name: '请设置新密码' }).waitFor();
    await check(fresh.page, 'forced password change');

    process.stdout.write(`axe checked ${checked.length} screens: ${checked.join(' · ')}\n`);
    expect(findings).toEqual([]);
    // Twenty-odd screens, each with a full axe run, on a shared two-core machine.
  }, 240_000);
});
