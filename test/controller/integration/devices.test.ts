/**
 * Kiosk devices against a real controller: pairing by code, revocation,
 * heartbeats and the monitor's figures, every receipt kind with sequence
 * gaps, emergency acknowledgements and the fast path, on-hours pushed as
 * device settings, and a flooding kiosk throttled without hurting others.
 */
import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Ack,
  DeviceView,
  DisplayReportResult,
  EmergencyAckView,
  KioskReceipt,
  Notice,
  Playlist,
} from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  type ApiClient,
  type KioskClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let reviewer: ApiClient;
const open: KioskClient[] = [];

beforeAll(async () => {
  t = await startController();
  ({ admin, editor, reviewer } = await staff(t));
});
afterAll(async () => {
  for (const k of open) k.disconnect();
  await t?.dispose();
});

async function ledgerTypes(): Promise<{ type: string; [k: string]: unknown }[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const lines: { type: string }[] = [];
  for (const file of (await readdir(dir)).sort()) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n'))
      if (line) lines.push(JSON.parse(line) as { type: string });
  }
  return lines;
}

async function pairKiosk(villageId = 'v2', name = '张堂村村委会'): Promise<{ deviceId: string; token: string; kiosk: KioskClient }> {
  const { deviceId, token } = await pairDevice(admin, { name, villageId, location: '村委会门口' });
  const kiosk = connectKiosk(t.url, { deviceId, token });
  open.push(kiosk);
  await nextEvent(kiosk, 'server:hello');
  return { deviceId, token, kiosk };
}

async function publish(fields: Record<string, unknown>, by: ApiClient = editor, approver: ApiClient = reviewer): Promise<Notice> {
  const created = data((await by.post<Notice>('/api/notices', { body: '详见村委会公示栏。', ...fields })).body);
  data((await by.post(`/api/notices/${created.id}/submit`)).body);
  return data((await approver.post<Notice>(`/api/notices/${created.id}/approve`, { attestation: ATTESTATION })).body);
}

const device = async (id: string): Promise<DeviceView | undefined> =>
  data((await admin.get<DeviceView[]>('/api/devices')).body).find((d) => d.id === id);

describe('pairing', () => {
  it('pairs a kiosk by the code it shows, hands its token over once, and refuses wrong codes naming the field', async () => {
    const { deviceId } = await pairKiosk();
    const view = await device(deviceId);
    expect(view).toMatchObject({ name: '张堂村村委会', villageId: 'v2', location: '村委会门口', online: true, revokedAt: null });

    const wrong = await admin.post('/api/devices/pair', { code: '000000', name: 'x', villageId: 'v2' });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toMatchObject({ ok: false, fields: { code: expect.any(String) } });
    const malformed = await admin.post('/api/devices/pair', { code: '12ab', name: '', villageId: 'v2' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ fields: { code: expect.any(String), name: expect.any(String) } });
    const badClaim = await admin.post('/api/pairing/claim', { claim: 'x'.repeat(32) });
    expect(badClaim.status).toBe(404);
    // Only admins pair devices.
    expect((await editor.post('/api/devices/pair', { code: '123456', name: 'x', villageId: 'v2' })).status).toBe(403);
    expect((await ledgerTypes()).some((r) => r.type === 'device.paired' && r.deviceId === deviceId)).toBe(true);
  });

  it('revokes a kiosk: it is told at once, disconnected, and its token no longer opens', async () => {
    const { deviceId, token, kiosk } = await pairKiosk('v3', '宋营村');
    const told = nextEvent<[{ reason: string }]>(kiosk, 'device:revoked');
    const gone = nextEvent(kiosk, 'disconnect');
    expect((await admin.post(`/api/devices/${deviceId}/revoke`, {})).status).toBe(400);
    data((await admin.post(`/api/devices/${deviceId}/revoke`, { reason: '设备丢失' })).body);
    expect((await told)[0].reason).toBe('设备丢失');
    await gone;
    const again = connectKiosk(t.url, { deviceId, token });
    open.push(again);
    const [error] = await nextEvent<[Error]>(again, 'connect_error');
    expect(error.message).toMatch(/^unauthorized/);
    expect((await device(deviceId))?.revokedAt).toEqual(expect.any(Number));
  });

  it('refuses the receipts of a revoked kiosk from the moment the revoke is answered, before its socket has closed', async () => {
    const notice = await publish({ title: '宋营村土地流转公示', target: { scope: 'villages', villageIds: ['v3'] } });
    const { deviceId, kiosk } = await pairKiosk('v3', '宋营村 2 号屏');
    const base = { noticeId: notice.id, contentHash: notice.live?.contentHash ?? '', clockTrusted: true };
    let seq = 0;
    const batch = () => {
      const now = Date.now();
      return {
        receipts: [{ kind: 'display' as const, receiptId: randomUUID(), seq: ++seq, ...base, startedAt: now - 2_000, endedAt: now }],
      };
    };
    expect(data<DisplayReportResult>(await kiosk.emitWithAck('display:report', batch())).recorded).toHaveLength(1);
    const gone = nextEvent(kiosk, 'disconnect');
    data((await admin.post(`/api/devices/${deviceId}/revoke`, { reason: '设备被盗' })).body);
    // Sent at once, while the socket is still open: refused, not recorded; then the socket is closed.
    const late = (await kiosk.timeout(5_000).emitWithAck('display:report', batch())) as Ack<DisplayReportResult>;
    expect(late).toMatchObject({ ok: false, error: 'unauthorized' });
    const beat = (await kiosk
      .timeout(5_000)
      .emitWithAck('device:heartbeat', { build: 'b', clock: Date.now(), showing: null, queued: 0, quarantined: 0 })
      .catch(() => null)) as Ack<unknown> | null;
    // The heartbeat either got the same refusal or met the closed socket; it never counts.
    if (beat) expect(beat).toMatchObject({ ok: false, error: 'unauthorized' });
    await gone;
    const records = (await ledgerTypes()).filter((r) => r.deviceId === deviceId && r.type === 'display.kiosk');
    expect(records).toHaveLength(1);
  });
});

describe('heartbeats and the monitor', () => {
  it('shows build, what is on screen, clock offset and queue; records clock skew; refuses garbage', async () => {
    const notice = await publish({ title: '张堂村低保公示', target: { scope: 'villages', villageIds: ['v2'] } });
    const { deviceId, kiosk } = await pairKiosk();
    const hash = notice.live?.contentHash ?? '';
    const answer = await kiosk.emitWithAck('device:heartbeat', {
      build: 'b-test',
      clock: Date.now() + 5 * 60_000,
      showing: { noticeId: notice.id, contentHash: hash },
      queued: 3,
      quarantined: 0,
    });
    expect(Math.abs(data(answer).serverTime - Date.now())).toBeLessThan(5_000);
    const status = (await device(deviceId))?.status;
    expect(status).toMatchObject({ build: 'b-test', queued: 3, showing: { noticeId: notice.id, title: '张堂村低保公示' } });
    expect(status?.clockOffsetMs).toBeGreaterThan(4 * 60_000);
    await expect.poll(async () => (await ledgerTypes()).some((r) => r.type === 'device.clock-skew' && r.deviceId === deviceId)).toBe(true);

    const bad = (await kiosk.emitWithAck('device:heartbeat', { build: 1, clock: 'now' } as never)) as Ack<unknown>;
    expect(bad).toMatchObject({ ok: false, error: 'invalid_payload', fields: { build: expect.any(String), clock: expect.any(String) } });
  });
});

describe('the admin’s live device status', () => {
  it('coalesces a burst of heartbeats into at most one update a second per device, the newest', async () => {
    const { deviceId, kiosk } = await pairKiosk('v1', '彪角村三号');
    const staffSocket = connectAdmin(t.url, admin.cookie);
    open.push(staffSocket);
    await nextEvent(staffSocket, 'server:hello');
    await new Promise((r) => setTimeout(r, 1_200)); // let the pairing's own updates go by
    const seen: number[] = [];
    staffSocket.on('device:status-changed', (d) => {
      if (d.id === deviceId && d.status) seen.push(d.status.queued);
    });
    for (let queued = 1; queued <= 10; queued++) {
      data(await kiosk.emitWithAck('device:heartbeat', { build: 'b', clock: Date.now(), showing: null, queued, quarantined: 0 }));
    }
    await new Promise((r) => setTimeout(r, 2_500));
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toBe(10);
  });
});

describe('receipts', () => {
  it('records displays, interactions and ratings once each, refuses a second rating soon after, and reports sequence gaps', async () => {
    const notice = await publish({ title: '张堂村道路硬化工程公示', target: { scope: 'villages', villageIds: ['v2'] } });
    const { deviceId, kiosk } = await pairKiosk();
    const hash = notice.live?.contentHash ?? '';
    const base = { noticeId: notice.id, contentHash: hash, clockTrusted: true };
    const now = Date.now();
    const receipts: KioskReceipt[] = [
      { kind: 'display', receiptId: randomUUID(), seq: 1, ...base, startedAt: now - 20_000, endedAt: now - 5_000 },
      { kind: 'interaction', receiptId: randomUUID(), seq: 2, ...base, action: 'opened', at: now - 4_000 },
      { kind: 'interaction', receiptId: randomUUID(), seq: 3, ...base, action: 'read_aloud', at: now - 3_000 },
      // seq 4 is lost on the device
      { kind: 'interaction', receiptId: randomUUID(), seq: 5, ...base, action: 'rated', rating: 5, comment: '很清楚', at: now - 2_000 },
      { kind: 'interaction', receiptId: randomUUID(), seq: 6, ...base, action: 'rated', rating: 1, at: now - 1_000 },
    ];
    const result = data<DisplayReportResult>(await kiosk.emitWithAck('display:report', { receipts }));
    expect(result.recorded.sort()).toEqual(
      receipts
        .slice(0, 4)
        .map((r) => r.receiptId)
        .sort(),
    );
    expect(result.rejected).toEqual([{ receiptId: receipts[4]?.receiptId, reason: expect.stringMatching(/one rating per notice/) }]);
    // Sent again: the same answers, nothing written twice.
    const again = data<DisplayReportResult>(await kiosk.emitWithAck('display:report', { receipts }));
    expect(again.recorded.sort()).toEqual(result.recorded.sort());
    expect(again.rejected.map((r) => r.receiptId)).toEqual([receipts[4]?.receiptId]);

    const records = (await ledgerTypes()).filter((r) => r.deviceId === deviceId && typeof r.receiptId === 'string');
    expect(records.map((r) => r.type)).toEqual([
      'display.kiosk',
      'interaction.opened',
      'interaction.read_aloud',
      'interaction.rated',
      'receipt.rejected',
    ]);
    expect(records[3]).toMatchObject({ rating: 5, comment: '很清楚', contentHash: hash, villageId: 'v2', receiptSeq: 5 });

    expect((await device(deviceId))?.missingReceipts).toBe(1);
    data(await kiosk.emitWithAck('device:heartbeat', { build: 'b', clock: Date.now(), showing: null, queued: 0, quarantined: 0 }));
    await expect.poll(async () => (await ledgerTypes()).some((r) => r.type === 'device.receipt-gap' && r.deviceId === deviceId)).toBe(true);
    const late = { kind: 'interaction' as const, receiptId: randomUUID(), seq: 4, ...base, action: 'qr_shown' as const, at: now };
    data(await kiosk.emitWithAck('display:report', { receipts: [late] }));
    expect((await device(deviceId))?.missingReceipts).toBe(0);
  });

  it('refuses a malformed batch whole, naming the field, and records none of it', async () => {
    const { deviceId, kiosk } = await pairKiosk();
    const before = (await ledgerTypes()).length;
    const ack = (await kiosk.emitWithAck('display:report', {
      receipts: [
        {
          kind: 'interaction',
          receiptId: randomUUID(),
          noticeId: 'n',
          contentHash: 'a'.repeat(64),
          clockTrusted: true,
          action: 'rated',
          at: 1,
        },
      ],
    })) as Ack<unknown>;
    expect(ack).toMatchObject({ ok: false, error: 'invalid_payload', fields: { 'receipts.0.rating': expect.any(String) } });
    const wrongKind = (await kiosk.emitWithAck('display:report', {
      receipts: [{ kind: 'selfie', receiptId: randomUUID() }],
    } as never)) as Ack<unknown>;
    expect(wrongKind).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect((await ledgerTypes()).filter((r) => r.deviceId === deviceId && typeof r.receiptId === 'string')).toEqual([]);
    expect((await ledgerTypes()).length).toBe(before);
  });

  it('throttles a flooding kiosk without slowing another', async () => {
    const flood = await pairKiosk('v1', '彪角村');
    const calm = await pairKiosk('v1', '彪角村二号');
    const beat = { build: 'b', clock: Date.now(), showing: null, queued: 0, quarantined: 0 };
    const answers = await Promise.all(Array.from({ length: 120 }, () => flood.kiosk.emitWithAck('device:heartbeat', beat)));
    const limited = answers.filter((a) => !a.ok && a.error === 'rate_limited').length;
    expect(limited).toBeGreaterThan(50);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(40);
    expect((await calm.kiosk.emitWithAck('device:heartbeat', beat)).ok).toBe(true);
  });
});

describe('device settings', () => {
  it('pushes a new playlist carrying the on-hours when staff change them, and refuses impossible hours', async () => {
    const { deviceId, kiosk } = await pairKiosk('v4', '苏湾村');
    const weekly = Array.from({ length: 7 }, () => [[7 * 60, 20 * 60]]);
    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => p.onHours !== null && p.onHours !== undefined);
    data((await admin.request('PATCH', `/api/devices/${deviceId}`, { onHours: { utcOffsetMinutes: 480, weekly } })).body);
    expect((await pushed)[0].onHours?.weekly[0]).toEqual([[420, 1200]]);
    const bad = await admin.request('PATCH', `/api/devices/${deviceId}`, { onHours: { utcOffsetMinutes: 480, weekly: [[[600, 500]]] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ fields: { 'onHours.weekly': expect.any(String) } });
  });

  it('takes the warning takeover times by level, records them, pushes them to every kiosk, and refuses a bad one naming the field', async () => {
    const { kiosk } = await pairKiosk('v3', '宋营村');
    const times = {
      red: { fullScreenMin: 20, againAfterMin: 10 },
      orange: { fullScreenMin: 15, againAfterMin: 15 },
      yellow: { fullScreenMin: 5, againAfterMin: 30 },
      blue: { fullScreenMin: 2, againAfterMin: 45 },
    };
    const before = data((await admin.get<{ emergencyTakeover?: unknown }>('/api/settings')).body);
    const bad = await admin.request('PUT', '/api/settings/emergency', {
      emergencyTakeover: { ...times, yellow: { fullScreenMin: 0, againAfterMin: 30 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ fields: { 'emergencyTakeover.yellow.fullScreenMin': 'at least 1 minute' } });
    const missing = await admin.request('PUT', '/api/settings/emergency', { emergencyTakeover: { red: times.red } });
    expect(missing.status).toBe(400);
    expect(data((await admin.get<{ emergencyTakeover?: unknown }>('/api/settings')).body)).toEqual(before);
    expect((await editor.request('PUT', '/api/settings/emergency', { emergencyTakeover: times })).status).toBe(403);

    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => p.takeover?.blue.fullScreenMin === 2);
    const saved = data(
      (await admin.request<{ emergencyTakeover?: unknown }>('PUT', '/api/settings/emergency', { emergencyTakeover: times })).body,
    );
    expect(saved.emergencyTakeover).toEqual(times);
    expect((await pushed)[0].takeover).toEqual(times);
    const record = (await ledgerTypes()).filter((r) => r.type === 'settings.emergency').at(-1);
    expect(record).toMatchObject({ emergencyTakeover: times });
  });
});

describe('emergencies', () => {
  it('lets one reviewer write and approve a warning on the fast path, recorded as such, and shows who acknowledged it', async () => {
    const { deviceId, kiosk } = await pairKiosk('v3', '宋营村一号');
    const warning = {
      title: '暴雨红色预警',
      body: '请立即转移至村委会避险点。',
      category: 'a20-emergency',
      target: { scope: 'villages', villageIds: ['v3'] },
      emergency: { level: 'red', expiresAt: Date.now() + 3600_000 },
    };
    const created = data((await reviewer.post<Notice>('/api/notices', warning)).body);
    data((await reviewer.post(`/api/notices/${created.id}/submit`)).body);
    const refused = await reviewer.post(`/api/notices/${created.id}/approve`, { attestation: ATTESTATION });
    expect(refused.status).toBe(403);
    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => p.items.some((i) => i.noticeId === created.id));
    const approved = data(
      (await reviewer.post<Notice>(`/api/notices/${created.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body,
    );
    expect(approved.live?.review).toMatchObject({ fastPath: true });
    const [playlist] = await pushed;
    expect(playlist.items[0]).toMatchObject({ noticeId: created.id, emergency: { level: 'red' } });
    expect((await ledgerTypes()).find((r) => r.type === 'notice.approved' && r.noticeId === created.id)).toMatchObject({ fastPath: true });

    const hash = approved.live?.contentHash ?? '';
    let acks = data((await admin.get<EmergencyAckView>(`/api/notices/${created.id}/emergency-acks`)).body);
    expect(acks.devices.find((d) => d.deviceId === deviceId)).toMatchObject({ acknowledgedAt: null, online: true });
    const ack = {
      kind: 'emergency_ack' as const,
      receiptId: randomUUID(),
      seq: 1,
      noticeId: created.id,
      contentHash: hash,
      at: Date.now(),
      clockTrusted: true,
    };
    data(await kiosk.emitWithAck('display:report', { receipts: [ack] }));
    acks = data((await admin.get<EmergencyAckView>(`/api/notices/${created.id}/emergency-acks`)).body);
    expect(acks.devices.find((d) => d.deviceId === deviceId)?.acknowledgedAt).toBe(ack.at);

    // Not for routine notices.
    const routine = data(
      (await reviewer.post<Notice>('/api/notices', { title: '例行公示', body: '内容', target: { scope: 'town' } })).body,
    );
    data((await reviewer.post(`/api/notices/${routine.id}/submit`)).body);
    const noFast = await reviewer.post(`/api/notices/${routine.id}/approve`, { attestation: ATTESTATION, fastPath: true });
    expect(noFast).toMatchObject({ status: 403, body: { message: expect.stringMatching(/only for emergency/) } });
  });
});

// Last: it spends this address's pairing codes.
describe('pairing behind one address', () => {
  it('lets a village router pair kiosk after kiosk, and limits only the codes that are never used', async () => {
    // Fifteen kiosks behind one address, paired one after another: each paired code is given back.
    for (let i = 0; i < 15; i++) await pairDevice(admin, { name: `同一路由 ${i + 1} 号屏`, villageId: 'v2' });
    // Codes asked for and left unused run out after the burst and name when to try again.
    const answers: { status: number; body: Ack<unknown> }[] = [];
    for (let i = 0; i < 12; i++) answers.push(await admin.post('/api/pairing'));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.body).toMatchObject({ ok: false, error: 'rate_limited' });
  });
});
