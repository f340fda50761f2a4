import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { CURRENT_SCHEMA_VERSION, migrate } from '../../../controller/store/migrations.js';
import { StateFileError, copyState, createStateStore } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-state-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const open = () => createStateStore({ dataDir: dir, logger, now: () => 1_700_000_000_000 });

describe('state store', () => {
  it('creates state.json with the schema version, and keeps changes across a restart', async () => {
    const store = open();
    expect(await store.start()).toEqual({ fresh: true });
    await store.update((s) => {
      s.villages.push({ id: 'v1', name: '张堂村' });
    });
    await store.stop();
    const onDisk = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { schemaVersion: number };
    expect(onDisk.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);

    const again = open();
    expect(await again.start()).toEqual({ fresh: false });
    expect(again.read().villages).toEqual([{ id: 'v1', name: '张堂村' }]);
    await again.stop();
  });

  it('leaves nothing half-saved when a change throws', async () => {
    const store = open();
    await store.start();
    await expect(
      store.update((s) => {
        s.villages.push({ id: 'v1', name: 'half' });
        throw new Error('midway');
      }),
    ).rejects.toThrow('midway');
    expect(store.read().villages).toEqual([]);
    await store.stop();
  });

  it('leaves nothing half-saved when the write fails', async () => {
    const store = open();
    await store.start();
    if (process.getuid?.() === 0) {
      // root ignores permissions; make the file's target a directory instead so the rename fails.
      await rm(path.join(dir, 'state.json'));
      await mkdir(path.join(dir, 'state.json'));
    } else {
      await chmod(dir, 0o500);
    }
    await expect(
      store.update((s) => {
        s.villages.push({ id: 'v1', name: 'lost' });
      }),
    ).rejects.toThrow();
    expect(store.read().villages).toEqual([]);
    await store.stop();
  });

  it('runs changes one at a time, in order', async () => {
    const store = open();
    await store.start();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update((s) => void s.villages.push({ id: `v${i}`, name: String(i) }))));
    expect(store.read().villages.map((v) => v.id)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    await store.stop();
  });

  it('refuses a corrupt file instead of overwriting it', async () => {
    await writeFile(path.join(dir, 'state.json'), '{"schemaVersion": 1, "villages": [');
    await expect(open().start()).rejects.toThrow(StateFileError);
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe('{"schemaVersion": 1, "villages": [');
  });

  it('refuses a state file from a newer Gongshi', async () => {
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({ schemaVersion: CURRENT_SCHEMA_VERSION + 1 }));
    await expect(open().start()).rejects.toThrow(/newer than this Gongshi/);
  });
});

describe('copyState', () => {
  it('copies the state deeply, so a change to the copy never reaches the state it came from', () => {
    const state = { villages: [{ id: 'v1', name: '张堂村', tags: ['a'] }], settings: { offlineAlertMinutes: 30, none: null } };
    const copy = copyState(state);
    expect(copy).toEqual(state);
    copy.villages[0]!.tags.push('b');
    copy.villages.push({ id: 'v2', name: '彪角村', tags: [] });
    copy.settings.offlineAlertMinutes = 5;
    expect(state).toEqual({ villages: [{ id: 'v1', name: '张堂村', tags: ['a'] }], settings: { offlineAlertMinutes: 30, none: null } });
  });

  it('copies what is not plain JSON data as structuredClone does', () => {
    const at = new Date(1_700_000_000_000);
    const copy = copyState({ at, seen: new Map([['k', { n: 1 }]]) });
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
    expect(copy.seen.get('k')).toEqual({ n: 1 });
  });
});

describe('migrate', () => {
  it('applies each step in order up to the target version', () => {
    const steps = {
      1: (s: Record<string, unknown>) => ({ ...s, villages: [] }),
      2: (s: Record<string, unknown>) => ({ ...s, note: 'v3' }),
    };
    const out = migrate({ schemaVersion: 1 }, 'state.json', logger, steps, 3) as unknown as Record<string, unknown>;
    expect(out).toEqual({ schemaVersion: 3, villages: [], note: 'v3' });
  });

  it('names a missing step', () => {
    expect(() => migrate({ schemaVersion: 1 }, 'state.json', logger, {}, 2)).toThrow(/no migration from schema version 1 to 2/);
  });

  it('rejects data without a schema version', () => {
    expect(() => migrate([], 'state.json', logger)).toThrow(StateFileError);
    expect(() => migrate({ schemaVersion: 'one' }, 'state.json', logger)).toThrow(/no valid schemaVersion/);
  });
});
