/**
 * The vertical slice against a real controller: sign in, draft, submit,
 * approve; a kiosk socket gets the new playlist without asking; it reports a
 * display and is acknowledged only once the record is durable; the admin
 * sees the record. Then a restart keeps everything.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DisplayRecord,
  DisplayReportResult,
  DisplaysRecorded,
  Notice,
  PairedDevice,
  Playlist,
} from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  ApiClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  data,
  initialPassword,
  nextEvent,
  staff,
  startController,
} from '../../helpers/controller.js';

let running: TestController | undefined;
afterEach(async () => {
  await running?.dispose();
  running = undefined;
});

async function signedIn(t: TestController): Promise<ApiClient> {
  const api = new ApiClient(t.url);
  await api.login('admin', await initialPassword(t.dataDir));
  return api;
}

describe('the vertical slice', () => {
  it('publishes an approved notice to a paired kiosk and records its display', async () => {
    running = await startController();
    const t = running;
    const { admin: api, editor, reviewer } = await staff(t);

    // A kiosk paired to 张堂村 (v2) through the admin API.
    const paired = data((await api.post<PairedDevice>('/api/devices', { name: '张堂村村委会', villageId: 'v2', kind: 'kiosk' })).body);
    const kiosk = connectKiosk(t.url, { deviceId: paired.device.id, token: paired.token });
    const [hello] = await nextEvent<[{ village: { name: string } }]>(kiosk, 'server:hello');
    expect(hello.village.name).toBe('张堂村');

    const admin = connectAdmin(t.url, api.cookie);
    await nextEvent(admin, 'server:hello');

    const draft = data(
      (
        await editor.post<Notice>('/api/notices', {
          title: '张堂村道路维修公示',
          body: '村内主干道维修，预计工期十天。',
          target: { scope: 'villages', villageIds: ['v2'] },
        })
      ).body,
    );
    expect(draft.state).toBe('draft');
    data((await editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);

    const pushed = nextEvent<[Playlist]>(kiosk, 'playlist:updated', (p) => p.items.some((i) => i.noticeId === draft.id), 1000);
    const approvedAt = Date.now();
    const approved = data((await reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    const [playlist] = await pushed;
    expect(Date.now() - approvedAt).toBeLessThan(1000);
    const item = playlist.items.find((i) => i.noticeId === draft.id);
    const liveHash = approved.live?.contentHash;
    expect(liveHash).toMatch(/^[0-9a-f]{64}$/);
    expect(item?.contentHash).toBe(liveHash);

    const receipt = {
      kind: 'display' as const,
      receiptId: randomUUID(),
      noticeId: draft.id,
      contentHash: liveHash ?? '',
      startedAt: Date.now() - 15_000,
      endedAt: Date.now(),
      clockTrusted: true,
    };
    const seenByAdmin = nextEvent<[DisplaysRecorded]>(admin, 'displays:recorded', (b) =>
      b.records.some((r) => r.receiptId === receipt.receiptId),
    );
    const ack = await kiosk.emitWithAck('display:report', { receipts: [receipt] });
    expect(data(ack)).toEqual<DisplayReportResult>({ recorded: [receipt.receiptId], rejected: [] });
    const [batch] = await seenByAdmin;
    const live = batch.records.find((r) => r.receiptId === receipt.receiptId);
    expect(live).toMatchObject({ deviceId: paired.device.id, villageId: 'v2', noticeId: draft.id });

    // Sending the same receipt again (a kiosk that missed the ack) records nothing new.
    expect(data(await kiosk.emitWithAck('display:report', { receipts: [receipt] })).recorded).toEqual([receipt.receiptId]);
    const records = data((await api.get<DisplayRecord[]>('/api/records')).body);
    expect(records.filter((r) => r.receiptId === receipt.receiptId)).toHaveLength(1);

    kiosk.disconnect();
    admin.disconnect();

    // Restart on the same data directory: the notice, the record and the session survive.
    await t.stop();
    running = await startController({ dataDir: t.dataDir });
    const again = new ApiClient(running.url);
    again.cookie = api.cookie;
    expect(data((await again.get<Notice>(`/api/notices/${draft.id}`)).body).state).toBe('approved');
    expect(data((await again.get<DisplayRecord[]>('/api/records')).body).map((r) => r.receiptId)).toContain(receipt.receiptId);
    const kioskAfter = connectKiosk(running.url, { deviceId: paired.device.id, token: paired.token });
    const [replayed] = await nextEvent<[Playlist]>(kioskAfter, 'playlist:updated');
    expect(replayed.items.map((i) => i.noticeId)).toContain(draft.id);
    expect(data(await kioskAfter.emitWithAck('display:report', { receipts: [receipt] })).recorded).toEqual([receipt.receiptId]);
    expect(data((await again.get<DisplayRecord[]>('/api/records')).body).filter((r) => r.receiptId === receipt.receiptId)).toHaveLength(1);
    kioskAfter.disconnect();
  });

  it('pushes only to the devices whose playlist changed', async () => {
    running = await startController();
    const t = running;
    const { editor, reviewer } = await staff(t);
    const zhangtang = connectKiosk(t.url, { deviceId: 'demo-kiosk-v2' });
    const songying = connectKiosk(t.url, { deviceId: 'demo-kiosk-v3' });
    await Promise.all([nextEvent(zhangtang, 'playlist:updated'), nextEvent(songying, 'playlist:updated')]);
    let songyingPushes = 0;
    songying.on('playlist:updated', () => songyingPushes++);

    const draft = data(
      (await editor.post<Notice>('/api/notices', { title: '仅张堂村', body: '内容', target: { scope: 'villages', villageIds: ['v2'] } }))
        .body,
    );
    await editor.post(`/api/notices/${draft.id}/submit`);
    const pushed = nextEvent<[Playlist]>(zhangtang, 'playlist:updated');
    await reviewer.post(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION });
    await pushed;
    // Give a wrong push time to arrive before asserting it did not.
    await new Promise((r) => setTimeout(r, 200));
    expect(songyingPushes).toBe(0);
    zhangtang.disconnect();
    songying.disconnect();
  });
});

describe('kiosk authentication', () => {
  it('refuses unknown devices, wrong tokens and malformed auth, and lets demo kiosks in from this machine', async () => {
    running = await startController();
    const t = running;
    const api = await signedIn(t);
    const paired = data((await api.post<PairedDevice>('/api/devices', { name: 'k', villageId: 'v1', kind: 'kiosk' })).body);

    const refused = async (auth: { deviceId: string; token?: string } | Record<string, unknown>): Promise<string> => {
      const socket = connectKiosk(t.url, auth as { deviceId: string });
      const [error] = await nextEvent<[Error]>(socket, 'connect_error');
      socket.disconnect();
      return error.message;
    };
    expect(await refused({ deviceId: 'nope' })).toMatch(/^unauthorized/);
    expect(await refused({ deviceId: paired.device.id, token: 'wrong' })).toMatch(/^unauthorized/);
    expect(await refused({ deviceId: paired.device.id })).toMatch(/^unauthorized/);
    expect(await refused({ device: 1 })).toMatch(/^invalid_payload: deviceId/);

    const demo = connectKiosk(t.url, { deviceId: 'demo-kiosk-v1' });
    const [playlist] = await nextEvent<[Playlist]>(demo, 'playlist:updated');
    expect(playlist.items.length).toBeGreaterThan(0);
    demo.disconnect();
  });

  it('does not let demo kiosks in without a token when demo mode is off', async () => {
    running = await startController();
    const dataDir = running.dataDir;
    await running.stop();
    running = await startController({ dataDir, args: ['--demo', 'off'] });
    const socket = connectKiosk(running.url, { deviceId: 'demo-kiosk-v1' });
    const [error] = await nextEvent<[Error]>(socket, 'connect_error');
    expect(error.message).toMatch(/^unauthorized/);
    socket.disconnect();
  });
});

/** A controller, a signed-in admin, the demo kiosk of 彪角村 and a valid receipt for its first notice. */
async function demoKioskWithReceipt() {
  running = await startController();
  const api = await signedIn(running);
  const kiosk = connectKiosk(running.url, { deviceId: 'demo-kiosk-v1' });
  const [playlist] = await nextEvent<[Playlist]>(kiosk, 'playlist:updated');
  const item = playlist.items[0]!;
  const receipt = {
    kind: 'display' as const,
    receiptId: randomUUID(),
    noticeId: item.noticeId,
    contentHash: item.contentHash,
    startedAt: 1,
    endedAt: 2,
    clockTrusted: false,
  };
  return { api, kiosk, receipt };
}

describe('display reports', () => {
  it('answers malformed reports with invalid_payload naming the field, and records nothing', async () => {
    const { api, kiosk, receipt: good } = await demoKioskWithReceipt();

    const bad = [
      { receipts: [] },
      { receipts: [{ ...good, receiptId: 'not-a-uuid' }] },
      { receipts: [{ ...good, endedAt: 0 }] },
      { receipts: [{ ...good, contentHash: 'abc' }] },
      { receipts: [{ ...good, extra: true }] },
      { receipts: 'x' },
      null,
    ];
    for (const payload of bad) {
      const ack = await kiosk.emitWithAck('display:report', payload as never);
      expect(ack.ok).toBe(false);
      if (!ack.ok) {
        expect(ack.error).toBe('invalid_payload');
        expect(ack.message.length).toBeGreaterThan(5);
      }
    }
    const receiptAck = await kiosk.emitWithAck('display:report', { receipts: [{ ...good, receiptId: randomUUID(), noticeId: 'unknown' }] });
    expect(data(receiptAck).rejected[0]?.reason).toMatch(/unknown notice/);
    expect(data((await api.get<DisplayRecord[]>('/api/records')).body)).toEqual([]);
    kiosk.disconnect();
  });

  it('records each receipt once when the same receipt arrives concurrently and within one batch', async () => {
    const { api, kiosk, receipt } = await demoKioskWithReceipt();
    const acks = await Promise.all([
      kiosk.emitWithAck('display:report', { receipts: [receipt, receipt] }),
      kiosk.emitWithAck('display:report', { receipts: [receipt] }),
      kiosk.emitWithAck('display:report', { receipts: [receipt] }),
    ]);
    for (const ack of acks) expect(data(ack).recorded).toEqual([receipt.receiptId]);
    expect(data((await api.get<DisplayRecord[]>('/api/records')).body)).toHaveLength(1);
    kiosk.disconnect();
  });
});

describe('admin sockets', () => {
  it('refuse connections without a session, and close when that session logs out', async () => {
    running = await startController();
    const t = running;
    const anonymous = connectAdmin(t.url, '');
    const [refusal] = await nextEvent<[Error]>(anonymous, 'connect_error');
    expect(refusal.message).toMatch(/^unauthorized/);
    anonymous.disconnect();

    const api = await signedIn(t);
    const other = await signedIn(t);
    const admin = connectAdmin(t.url, api.cookie);
    const bystander = connectAdmin(t.url, other.cookie);
    await Promise.all([nextEvent(admin, 'server:hello'), nextEvent(bystander, 'server:hello')]);
    const closed = nextEvent<[string]>(admin, 'disconnect');
    await api.post('/api/auth/logout');
    expect((await closed)[0]).toBe('io server disconnect');
    expect(bystander.connected).toBe(true);
    bystander.disconnect();
  });
});
