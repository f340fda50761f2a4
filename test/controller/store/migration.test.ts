/** A data directory written by schema 1 (the foundation release) starts under schema 2 with nothing lost. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice, Playlist } from '../../../controller/protocol/index.js';
import { ApiClient, type TestController, connectKiosk, data, makeDataDir, nextEvent, startController } from '../../helpers/controller.js';
import { hashPassword } from '../../../controller/auth/passwords.js';
import { sha256Hex } from '../../../controller/domain/canonical.js';

let t: TestController | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const HASH = 'c'.repeat(64);

async function writeSchema1(dataDir: string): Promise<void> {
  const now = Date.UTC(2026, 10, 20);
  const state = {
    schemaVersion: 1,
    createdAt: now,
    town: { name: '彪角镇', issuer: '彪角镇人民政府' },
    villages: [{ id: 'v1', name: '彪角村' }],
    users: [
      {
        id: 'u-admin',
        username: 'admin',
        displayName: '系统管理员',
        roles: ['admin', 'reviewer', 'editor'],
        passwordHash: await hashPassword('Old-release-pass-1'),
        disabled: false,
        createdAt: now,
      },
    ],
    sessions: [],
    devices: [
      {
        id: 'k1',
        kind: 'kiosk',
        name: '彪角村',
        villageId: 'v1',
        demo: false,
        tokenHash: sha256Hex('old-token'),
        createdAt: now,
        lastSeenAt: null,
      },
    ],
    notices: [
      {
        id: 'n-old',
        title: '旧版公告',
        body: '升级前发布的公告。',
        issuer: '彪角镇人民政府',
        target: { scope: 'town' },
        state: 'approved',
        contentHash: HASH,
        createdBy: 'u-admin',
        createdAt: now,
        updatedAt: now,
        submittedAt: now,
        approvedBy: 'u-admin',
        approvedAt: now,
        startsAt: null,
        endsAt: null,
      },
    ],
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'state.json'), JSON.stringify(state));
}

describe('schema 1 → 2', () => {
  it('turns flat notices into versioned ones, keeps their hash for old receipts, and keeps accounts working', async () => {
    const dataDir = await makeDataDir();
    await writeSchema1(dataDir);
    t = await startController({ dataDir, args: ['--demo', 'off'] });
    const onDisk = JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')) as { schemaVersion: number };
    expect(onDisk.schemaVersion).toBe(2);

    const admin = new ApiClient(t.url);
    await admin.login('admin', 'Old-release-pass-1');
    const notice = data((await admin.get<Notice>('/api/notices/n-old')).body);
    expect(notice).toMatchObject({
      state: 'approved',
      title: '旧版公告',
      live: { contentHash: HASH, number: 1, content: { body: '升级前发布的公告。' } },
    });

    // The kiosk paired before the upgrade still gets the notice, and a receipt it kept names a published version.
    const kiosk = connectKiosk(t.url, { deviceId: 'k1', token: 'old-token' });
    const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
    expect(playlist.items.map((i) => [i.noticeId, i.contentHash])).toEqual([['n-old', HASH]]);
    const receipt = {
      kind: 'display' as const,
      receiptId: randomUUID(),
      noticeId: 'n-old',
      contentHash: HASH,
      startedAt: 1,
      endedAt: 2,
      clockTrusted: true,
    };
    expect(data(await kiosk.emitWithAck('display:report', { receipts: [receipt] })).recorded).toEqual([receipt.receiptId]);
    kiosk.disconnect();
  });
});
