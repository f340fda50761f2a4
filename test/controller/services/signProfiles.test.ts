/**
 * The signs service owns the rules of a staff change to a sign profile, whoever calls it: a new sign may not
 * take the id of a sign the town has (saved, demo or behind a node), a profile names only a paired village
 * node, and a bad field is an answer naming it. A refusal records and saves nothing. Real profile file and
 * ledger in a temp directory, one emulated demo sign running.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import { createLogger } from '../../../controller/logger.js';
import { createEmulatorBinding } from '../../../controller/led/emulator/memoryBinding.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import type { Failure } from '../../../controller/protocol/index.js';
import { type SignsService, createSignsService } from '../../../controller/services/signs.js';
import { createLedger } from '../../../controller/store/ledger.js';
import { createSignProfileStore } from '../../../controller/store/signProfiles.js';
import { FAST, profile } from '../led/fixtures.js';

const logger = createLogger({ level: 'silent' });
const DEMO_PORT = '/dev/ttyDEMO';

function input(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `屏 ${id}`,
    villageId: 'v1',
    protocol: 'bx5k',
    port: { path: `/dev/tty-${id}`, baudRate: 57600 },
    address: 1,
    widthPx: 192,
    heightPx: 32,
    charset: 'gb2312',
    ...extra,
  };
}

let dir: string;
let ledger: ReturnType<typeof createLedger>;
let signs: SignsService;
let emu: SignEmulator;

/** The staff changes to profiles the ledger holds (a sign's own link records are not among them). */
const recorded = async (): Promise<string[]> => {
  const types: string[] = [];
  for await (const r of ledger.records()) if (!r.type.startsWith('sign.link')) types.push(r.type);
  return types;
};
const savedFile = () => readFile(path.join(dir, 'signs.json'), 'utf8').catch(() => '');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-sign-profiles-'));
  ledger = createLedger({ dataDir: dir, logger, now: Date.now });
  await ledger.start();
  const saved = createSignProfileStore({ dataDir: dir });
  await saved.start();
  await saved.save(profile({ id: 'saved-1', port: { path: '/dev/tty-saved-1', baudRate: 57600 } }));
  emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 });
  const lines = new Map([[DEMO_PORT, emu]]);
  signs = createSignsService({
    profiles: saved,
    playlists: { forTarget: () => ({ version: 'empty', generatedAt: 0, items: [], onHours: null }) },
    ledger,
    bus: createEventBus(),
    clock: { now: Date.now },
    logger,
    binding: createEmulatorBinding(lines),
    pathExists: (p) => lines.has(p),
    tuning: FAST,
    healthIntervalMs: 0,
    tickMs: 60_000,
    font: null,
    extraProfiles: () => [profile({ id: 'demo-1', port: { path: DEMO_PORT, baudRate: 57600 } })],
    isNode: (nodeId) => nodeId === 'node-paired',
  });
  await signs.start();
});

afterEach(async () => {
  await signs.stop();
  emu.dispose();
  await ledger.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('sign profile changes in the signs service', () => {
  it('refuses a new sign with the id of a saved or a demo sign, naming the id, and records nothing', async () => {
    const before = await savedFile();
    for (const id of ['saved-1', ' demo-1 ']) {
      const ack = await signs.create(input(id), 'u-admin');
      expect(ack.ok).toBe(false);
      const failure = ack as Failure;
      expect(failure.error).toBe('conflict');
      expect(failure.message).toContain('这个编号已有一块屏');
      expect(failure.fields).toEqual({ id: 'already used by another sign' });
    }
    expect(await recorded()).toEqual([]);
    expect(await savedFile()).toBe(before);
  });

  it('refuses a profile naming a village node that is not paired, on create and on replace, and records nothing', async () => {
    const before = await savedFile();
    for (const ack of [
      await signs.create(input('new-1', { node: 'node-gone' }), 'u-admin'),
      await signs.save(input('saved-1', { node: 'node-gone' }), 'u-admin'),
    ]) {
      expect(ack.ok).toBe(false);
      const failure = ack as Failure;
      expect(failure.error).toBe('invalid_payload');
      expect(failure.message).toContain('没有这个村级节点');
      expect(Object.keys(failure.fields ?? {})).toEqual(['node']);
    }
    expect(await recorded()).toEqual([]);
    expect(await savedFile()).toBe(before);
  });

  it('answers a bad field by name instead of throwing, and records nothing', async () => {
    const ack = await signs.save(input('saved-1', { widthPx: -5 }), 'u-admin');
    expect(ack.ok).toBe(false);
    const failure = ack as Failure;
    expect(failure.error).toBe('invalid_payload');
    expect(Object.keys(failure.fields ?? {})).toContain('widthPx');
    expect(await recorded()).toEqual([]);
  });

  it('creates a sign behind a paired node and replaces a saved profile, recording each change first', async () => {
    const created = await signs.create(input('new-1', { node: 'node-paired' }), 'u-admin');
    expect(created.ok && created.data.node).toBe('node-paired');
    // Replacing keeps the id: no conflict with itself.
    const replaced = await signs.save(input('saved-1', { name: '新名字' }), 'u-admin');
    expect(replaced.ok && replaced.data.name).toBe('新名字');
    expect(await recorded()).toEqual(['sign.profile-saved', 'sign.profile-saved']);
    expect(signs.profiles().map((p) => p.id)).toEqual(expect.arrayContaining(['saved-1', 'new-1']));
  });
});
