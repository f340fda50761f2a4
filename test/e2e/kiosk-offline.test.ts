/**
 * The kiosk through a network cut and a controller outage in real Chromium: it
 * shows a freshly approved notice; the controller stops; the page is reloaded
 * (service worker + IndexedDB) and still shows the notice, keeps rotating and
 * keeps queuing display receipts; the controller restarts on the same port
 * and data directory, and every receipt the kiosk numbered is in the ledger
 * exactly once. The same for a cut of the kiosk's network with the controller
 * up.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health, Notice } from '../../controller/protocol/index.js';
import { NEXT_SEQ_KEY, OUTBOX_STORE, STATE_STORE } from '../../kiosk/receiptStore.js';
import { databaseName } from '../../kiosk/storage.js';
import { chromiumPath, inCI, launchChromium } from '../helpers/browser.js';
import { ATTESTATION, ApiClient, type TestController, data, restartController, staff, startController } from '../helpers/controller.js';
import { openPage } from './staff.js';

const DEVICE = 'demo-kiosk-v1';

/** What the kiosk's IndexedDB says: receipts waiting, and the next sequence number it will hand out. */
function outbox(page: Page, device = DEVICE): Promise<{ pending: number; nextSeq: number }> {
  return page.evaluate(
    ({ name, outboxStore, stateStore, nextSeqKey }) =>
      new Promise<{ pending: number; nextSeq: number }>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error ?? new Error('could not open the kiosk database'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction([outboxStore, stateStore], 'readonly');
          const count = tx.objectStore(outboxStore).count();
          const next = tx.objectStore(stateStore).get(nextSeqKey);
          tx.oncomplete = () => {
            db.close();
            resolve({ pending: count.result, nextSeq: typeof next.result === 'number' ? next.result : 1 });
          };
        };
      }),
    { name: databaseName(device), outboxStore: OUTBOX_STORE, stateStore: STATE_STORE, nextSeqKey: NEXT_SEQ_KEY },
  );
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface LedgerLine {
  type: string;
  deviceId?: string;
  receiptId?: string;
  receiptSeq?: number;
  noticeId?: string;
  startedAt?: number;
}

/** Every ledger record that carries a receipt from `deviceId`. */
async function receiptsInLedger(dataDir: string, deviceId: string): Promise<LedgerLine[]> {
  const dir = path.join(dataDir, 'ledger');
  const lines: LedgerLine[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      if (line.trim() !== '') lines.push(JSON.parse(line) as LedgerLine);
    }
  }
  return lines.filter((r) => r.deviceId === deviceId && typeof r.receiptId === 'string');
}

/** The ledger holds the device's receipts numbered 1 … nextSeq - 1, each exactly once; returns them. */
async function expectEachReceiptOnce(dataDir: string, device: string, nextSeq: number): Promise<LedgerLine[]> {
  const ledger = await receiptsInLedger(dataDir, device);
  const numbered = Array.from({ length: nextSeq - 1 }, (_, i) => i + 1);
  expect(ledger.map((r) => r.receiptSeq).sort((a = 0, b = 0) => a - b)).toEqual(numbered);
  expect(new Set(ledger.map((r) => r.receiptId)).size).toBe(numbered.length);
  expect(ledger.every((r) => r.type === 'display.kiosk-interval')).toBe(true);
  return ledger;
}

const shownNotice = (page: Page): Promise<string | null> =>
  page
    .locator('[data-notice-id]')
    .first()
    .getAttribute('data-notice-id', { timeout: 1000 })
    .catch(() => null);

describe.runIf(inCI && !chromiumPath)('browser suite under CI', () => {
  it('needs Chromium at /usr/bin/chromium', () => {
    expect.fail('Chromium is required under CI; .ci/run installs it with apt-get');
  });
});

describe.skipIf(!chromiumPath)('kiosk offline in Chromium', () => {
  let t: TestController;
  let again: TestController | undefined;
  let browser: Browser;

  beforeAll(async () => {
    t = await startController();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await again?.stop();
    await t?.dispose();
  });

  it('serves the service worker for /kiosk/, revalidated on every load, storing exactly this build’s kiosk files', async () => {
    const res = await fetch(`${t.url}/kiosk/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const code = await res.text();
    const { build } = data((await new ApiClient(t.url).get<Health>('/api/health')).body);
    expect(code).toContain(`gongshi-kiosk-`);
    expect(code).toContain(build);
    const index = await (await fetch(`${t.url}/kiosk/`)).text();
    const files = index.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [];
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) expect(code).toContain(`"${file}"`);
  });

  it('keeps queuing through a cut of its own network, reload included, and delivers every receipt once when it returns', async () => {
    const device = 'demo-kiosk-v2';
    const kiosk = await openPage(browser, 'kiosk-v2', {
      viewport: { width: 1080, height: 1920 },
      expected: [/WebSocket connection to .* failed/, /net::ERR_INTERNET_DISCONNECTED/],
    });
    const { page } = kiosk;
    await page.goto(`${t.url}/kiosk/?device=${device}&receiptAfter=1`);
    await page.locator('[data-notice-id]').first().waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    await until(
      'a first acknowledged receipt',
      async () => (await outbox(page, device)).nextSeq > 1 && (await outbox(page, device)).pending === 0,
      10_000,
    );

    await page.context().setOffline(true);
    await until('a receipt queued during the cut', async () => (await outbox(page, device)).pending >= 1, 30_000);
    await page.reload();
    await page.locator('[data-notice-id]').first().waitFor({ timeout: 10_000 });
    await until('more receipts queued after the reload', async () => (await outbox(page, device)).pending >= 2, 30_000);

    await page.context().setOffline(false);
    await until('the outbox to empty', async () => (await outbox(page, device)).pending === 0, 30_000);
    await expectEachReceiptOnce(t.dataDir, device, (await outbox(page, device)).nextSeq);
    expect(kiosk.errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows and counts notices through a controller outage and a reload; every receipt reaches the ledger exactly once', async () => {
    const { editor, reviewer } = await staff(t);
    const title = `彪角村电网检修停电通知 ${Date.now()}`;
    const draft = data(
      (
        await editor.post<Notice>('/api/notices', {
          title,
          body: '因电网检修，本村将于周六上午停电四小时。\n\n请提前做好准备。',
          target: { scope: 'villages', villageIds: ['v1'] },
        })
      ).body,
    );
    data((await editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
    data((await reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);

    // With the controller down, Chromium logs the failed socket.io connections.
    const kiosk = await openPage(browser, 'kiosk', {
      viewport: { width: 1920, height: 1080 },
      expected: [/WebSocket connection to .* failed/, /net::ERR_CONNECTION_REFUSED/],
    });
    const { page } = kiosk;
    await page.goto(`${t.url}/kiosk/?device=${DEVICE}&receiptAfter=1`);
    const card = page.locator(`[data-notice-id="${draft.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    await expect(card.innerText()).resolves.toContain(title);
    // The service worker has stored the shell and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    // A receipt went through while online: numbered, sent, acknowledged, deleted.
    await until('a first acknowledged receipt', async () => (await outbox(page)).nextSeq > 1 && (await outbox(page)).pending === 0, 10_000);
    expect(await receiptsInLedger(t.dataDir, DEVICE)).not.toHaveLength(0);

    await t.stop();
    const outageFrom = Date.now();
    await page.reload();
    await card.waitFor({ timeout: 10_000 });
    await expect(card.innerText()).resolves.toContain(title);
    const atReload = await outbox(page);

    // Offline, it keeps rotating (another notice comes on screen) and keeps queuing receipts.
    await until('another notice on screen', async () => ![draft.id, null].includes(await shownNotice(page)), 60_000);
    await until('receipts queued offline', async () => (await outbox(page)).pending >= 2, 30_000);
    const offline = await outbox(page);
    expect(offline.nextSeq - atReload.nextSeq).toBe(offline.pending - atReload.pending);

    again = await restartController(t);
    await until('the outbox to empty', async () => (await outbox(page)).pending === 0, 30_000);
    const { nextSeq } = await outbox(page);
    const ledger = await expectEachReceiptOnce(t.dataDir, DEVICE, nextSeq);
    expect(ledger.filter((r) => (r.startedAt ?? 0) >= outageFrom).length).toBeGreaterThanOrEqual(offline.pending);
    expect(ledger.some((r) => r.noticeId === draft.id && (r.startedAt ?? 0) >= outageFrom)).toBe(true);
    expect(kiosk.errors).toEqual([]);
    process.stdout.write(`kiosk numbered ${nextSeq - 1} receipts, ${offline.pending} of them queued offline; each is in the ledger once\n`);
  }, 180_000);
});
