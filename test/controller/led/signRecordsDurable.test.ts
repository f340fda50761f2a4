/**
 * A sign's evidence is never fire-and-forget: when the ledger refuses a write
 * (a full disk), the signs service keeps the sign's records and appends them
 * once the ledger takes writes again, each once. Signs service on an emulated
 * sign; the ledger refuses writes while `refusing` is set.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import { SerialPort } from 'serialport';
import { type SignsService, createSignsService } from '../../../controller/services/signs.js';
import { type LedgerEntry, LedgerWriteError } from '../../../controller/store/ledger.js';
import { createSignProfileStore } from '../../../controller/store/signProfiles.js';
import { FAST, capturingLogger, eventually } from './fixtures.js';

let dir: string;
let service: SignsService | null = null;

afterEach(async () => {
  await service?.stop();
  service = null;
  await rm(dir, { recursive: true, force: true });
});

describe('sign records through the record sink', () => {
  it('appends an outage recorded while the ledger refused writes, once, after it takes them again', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-sign-records-'));
    const profiles = createSignProfileStore({ dataDir: dir });
    await profiles.start();
    await profiles.save({
      id: 'sign-d',
      name: '村口',
      villageId: 'v1',
      protocol: 'bx5k',
      port: { path: 'emulated:sign-d', baudRate: 57600 },
      address: 1,
      widthPx: 192,
      heightPx: 32,
      charset: 'gb2312',
      emulated: true,
    });
    const written: LedgerEntry[] = [];
    const ledger = { refusing: false };
    service = createSignsService({
      profiles,
      playlists: { forTarget: () => ({ version: 'empty', generatedAt: 0, items: [], onHours: null }) },
      ledger: {
        append: (entries: readonly LedgerEntry[]) =>
          ledger.refusing
            ? Promise.reject(new LedgerWriteError(Object.assign(new Error('no space'), { code: 'ENOSPC' })))
            : (written.push(...entries), Promise.resolve([])),
      },
      bus: createEventBus(),
      clock: { now: Date.now },
      logger: capturingLogger().logger,
      binding: SerialPort.binding,
      tuning: { ...FAST, processingBudgetMs: 100, retries: 0 },
      healthIntervalMs: 0,
      tickMs: 60_000,
      font: null,
    });
    await service.start();
    await eventually(() => expect(service?.view('sign-d')?.link).toBe('up'));
    ledger.refusing = true;
    service.emulator('sign-d')!.faults.drop = 1000; // the sign falls silent: an outage begins
    expect((await service.command('sign-d', { type: 'resend' })).ok).toBe(false);
    await eventually(() => expect(service?.view('sign-d')?.reachable).toBe(false));
    await new Promise((r) => setTimeout(r, 50)); // a failed append or two
    expect(written.filter((e) => e.type === 'sign.link-down')).toHaveLength(0);
    ledger.refusing = false;
    await eventually(() => expect(written.filter((e) => e.type === 'sign.link-down')).toHaveLength(1), 5000);
    expect(written.find((e) => e.type === 'sign.link-down')).toMatchObject({ signId: 'sign-d', cause: 'sign-silent' });
  });
});
