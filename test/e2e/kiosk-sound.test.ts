/**
 * The warning chime in Chromium, as an untouched kiosk meets it.
 *
 * Chromium holds back the AudioContext of a page nobody has touched ("The
 * AudioContext was not allowed to start"): reproduced here with
 * `--autoplay-policy=document-user-activation-required` (what Chromium does
 * without the flag). Such a kiosk says in its heartbeat that it cannot sound,
 * the devices page tells staff so in Chinese and in English with the flag to
 * set, and a warning on it is silent until a villager touches the screen. A
 * kiosk started with the flags docs/OPERATIONS.md §13 gives (read from the
 * guide itself) sounds at once: its context runs and the chime's tones play on it.
 *
 * The untouched kiosk is only watched, never driven: every Playwright
 * evaluation (locators and waits included) runs as a user gesture, which
 * would unblock the audio. The test reads it through the controller, its
 * console and CDP screenshots until the villager's touch.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, EmergencyAckView, Notice } from '../../controller/protocol/index.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, type ApiClient, type TestController, data, initialPassword, staff, startController } from '../helpers/controller.js';
import { openPage, signIn } from './staff.js';

/** Where to keep the screenshots (looked at by a person); none when unset. */
const SHOTS = process.env.KIOSK_SCREENSHOTS ?? '';

/** The flags of the kiosk's Chromium command in docs/OPERATIONS.md §13, less --kiosk (full screen needs a display). */
async function documentedKioskFlags(): Promise<string[]> {
  const guide = await readFile(new URL('../../docs/OPERATIONS.md', import.meta.url), 'utf8');
  const section = guide.split(/^## /m).find((s) => s.startsWith('13. '));
  const command = section?.match(/```sh\n(chromium[\s\S]*?)```/)?.[1];
  if (!command) throw new Error('docs/OPERATIONS.md §13 has no chromium command');
  return (command.match(/--[a-z-]+(=\S+)?/g) ?? []).filter((flag) => flag !== '--kiosk');
}

/**
 * Reports the page's audio through its console (watching, not driving): the context's state when it changes, and
 * the state it is in when a chime tone is made.
 */
function watchAudio(page: Page): string[] {
  const heard: string[] = [];
  page.on('console', (m) => {
    if (m.text().startsWith('audio:')) heard.push(m.text());
  });
  void page.addInitScript(() => {
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options?: AudioContextOptions) {
        super(options);
        console.info(`audio:created ${this.state}`);
        this.addEventListener('statechange', () => console.info(`audio:${this.state}`));
      }
      override createOscillator(): OscillatorNode {
        console.info(`audio:tone ${this.state}`);
        return super.createOscillator();
      }
    };
  });
  return heard;
}

/** A screenshot by CDP alone (Playwright's own would evaluate in the page, which counts as a touch). */
async function quietShot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  const cdp = await page.context().newCDPSession(page);
  const { data: png } = await cdp.send('Page.captureScreenshot', { format: 'png' });
  await writeFile(`${SHOTS}/sound-${name}.png`, Buffer.from(png, 'base64'));
  await cdp.detach();
}

describe.skipIf(!chromiumPath)('the warning chime in Chromium', () => {
  let t: TestController;
  let admin: ApiClient;
  let reviewer: ApiClient;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    t = await startController();
    ({ admin, reviewer } = await staff(t));
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await t?.dispose();
  });

  const launch = async (flags: readonly string[]): Promise<Browser> => {
    const browser = await launchChromium(flags);
    browsers.push(browser);
    return browser;
  };
  const soundOf = async (id: string): Promise<string | undefined> =>
    data((await admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === id)?.status?.sound;

  it('is blocked on an untouched kiosk, which staff see on the devices page (zh/en), and sounds with the documented flags', async () => {
    const flags = await documentedKioskFlags();
    expect(flags).toContain('--autoplay-policy=no-user-gesture-required');

    // Kiosk 苏湾村 (v4): a browser that waits for a touch before it plays sound, nobody touching it.
    const untouched = await openPage(await launch(['--autoplay-policy=document-user-activation-required']), 'kiosk-untouched', {
      viewport: { width: 1080, height: 1920 },
    });
    const untouchedAudio = watchAudio(untouched.page);
    await untouched.page.goto(`${t.url}/kiosk/?device=demo-kiosk-v4`);
    await expect.poll(() => soundOf('demo-kiosk-v4'), { timeout: 20_000 }).toBe('blocked');
    await expect.poll(() => untouchedAudio.includes('audio:created suspended'), { timeout: 5_000 }).toBe(true);

    // Kiosk (v1): started as the operations guide says.
    const flagged = await openPage(await launch(flags), 'kiosk-flagged', { viewport: { width: 1080, height: 1920 } });
    const flaggedAudio = watchAudio(flagged.page);
    await flagged.page.goto(`${t.url}/kiosk/?device=demo-kiosk-v1`);
    await expect.poll(() => soundOf('demo-kiosk-v1'), { timeout: 20_000 }).toBe('ok');
    await expect.poll(() => flaggedAudio.includes('audio:running'), { timeout: 5_000 }).toBe(true);

    // Staff see which kiosk cannot sound and what to set, in Chinese and in English.
    const staffPage = await openPage(await launch([]), 'admin-devices', { viewport: { width: 1366, height: 900 } });
    const { page } = staffPage;
    await signIn(page, t.url, 'admin', await initialPassword(t.dataDir));
    await page.getByRole('link', { name: '设备' }).click();
    const alert = page.locator('[data-sound-alert]');
    await alert.getByRole('heading', { name: '1 台触摸屏无法播放预警提示音' }).waitFor();
    await expect(alert.locator('li[data-device-id="demo-kiosk-v4"]').innerText()).resolves.toContain(
      '--autoplay-policy=no-user-gesture-required',
    );
    expect(await alert.locator('li').count()).toBe(1);
    const row = (id: string) => page.locator(`tr[data-device-id="${id}"]`);
    await expect(row('demo-kiosk-v4').locator('[data-sound="blocked"]').innerText()).resolves.toContain('无法播放预警提示音');
    expect(await row('demo-kiosk-v1').locator('[data-sound]').count()).toBe(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sound-devices-zh.png`, fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await alert.getByRole('heading', { name: '1 kiosk cannot play the warning chime' }).waitFor();
    await expect(alert.locator('li[data-device-id="demo-kiosk-v4"]').innerText()).resolves.toMatch(
      /Start the browser with --autoplay-policy=no-user-gesture-required/,
    );
    await expect(row('demo-kiosk-v4').locator('[data-sound="blocked"]').innerText()).resolves.toContain('cannot play the warning chime');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sound-devices-en.png`, fullPage: true });
    await page.getByRole('button', { name: '中文' }).click();

    // A red warning for the whole town: the flagged kiosk chimes on a running context; the untouched one shows
    // it (and acknowledges it) but its tones go to a suspended context, which is silence.
    const warning = data(
      (
        await reviewer.post<Notice>('/api/notices', {
          title: '全镇山洪红色预警',
          body: '上游水库泄洪，沿河群众立即撤离到高处。',
          category: 'a20-emergency',
          target: { scope: 'town' },
          emergency: { level: 'red', expiresAt: Date.now() + 2 * 3600_000 },
        })
      ).body,
    );
    data((await reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    data((await reviewer.post(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body);
    const acknowledged = async (): Promise<string[]> =>
      data((await admin.get<EmergencyAckView>(`/api/notices/${warning.id}/emergency-acks`)).body)
        .devices.filter((d) => d.acknowledgedAt !== null)
        .map((d) => d.deviceId)
        .sort();
    await expect.poll(acknowledged, { timeout: 10_000 }).toEqual(['demo-kiosk-v1', 'demo-kiosk-v4']);
    // The chime is three tones.
    const tones = (heard: string[], state: string): number => heard.filter((a) => a === `audio:tone ${state}`).length;
    await expect.poll(() => tones(flaggedAudio, 'running') >= 3, { timeout: 5_000 }).toBe(true);
    await expect.poll(() => tones(untouchedAudio, 'suspended') >= 3, { timeout: 5_000 }).toBe(true);
    expect(tones(flaggedAudio, 'suspended') + tones(untouchedAudio, 'running')).toBe(0);
    expect(untouchedAudio).not.toContain('audio:running');
    expect(await soundOf('demo-kiosk-v4')).toBe('blocked');
    await quietShot(untouched.page, 'untouched-kiosk-warning');

    // A villager's touch unblocks it: the kiosk says so at once and the devices page drops the alert.
    await untouched.page.mouse.click(540, 1700);
    await expect.poll(() => soundOf('demo-kiosk-v4'), { timeout: 10_000 }).toBe('ok');
    // The context's own state change reaches the console on its own schedule, not before the heartbeat.
    await expect.poll(() => untouchedAudio.includes('audio:running'), { timeout: 5_000 }).toBe(true);
    await alert.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await row('demo-kiosk-v4').locator('[data-sound]').count()).toBe(0);

    expect([...untouched.errors, ...flagged.errors, ...staffPage.errors]).toEqual([]);
  }, 120_000);
});
