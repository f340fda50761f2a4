/** Kiosks for the admin's browser suites, paired and reporting over real sockets, so the devices page has every flag to show. */
import { randomUUID } from 'node:crypto';
import type { DeviceView, Notice, PairingClaimResult, PairingOffer } from '../../controller/protocol/index.js';
import { type ApiClient, type KioskClient, connectKiosk, data, nextEvent } from '../helpers/controller.js';

export interface PairedKiosk {
  deviceId: string;
  socket: KioskClient;
}

/** Pairs a kiosk by code through the API, as staff and the kiosk would, and connects it. */
export async function pairKiosk(
  url: string,
  admin: ApiClient,
  device: { name: string; villageId: string; location?: string },
): Promise<PairedKiosk> {
  const offer = data((await admin.post<PairingOffer>('/api/pairing')).body);
  data((await admin.post<DeviceView>('/api/devices/pair', { code: offer.code, location: '', ...device })).body);
  const claimed = data((await admin.post<PairingClaimResult>('/api/pairing/claim', { claim: offer.claim })).body);
  if (claimed.status !== 'paired') throw new Error('the kiosk was not paired');
  const socket = connectKiosk(url, { deviceId: claimed.deviceId, token: claimed.token });
  await nextEvent(socket, 'server:hello');
  return { deviceId: claimed.deviceId, socket };
}

/**
 * A kiosk in trouble: its clock 5 minutes fast, receipts queued and quarantined,
 * and one receipt lost (sequence 2 of 3 never arrives), showing `notice`.
 */
export async function troubledKiosk(url: string, admin: ApiClient, notice: Notice, villageId: string): Promise<PairedKiosk> {
  const kiosk = await pairKiosk(url, admin, { name: '张堂村卫生室触摸屏', villageId, location: '卫生室门口' });
  const contentHash = notice.live?.contentHash ?? '';
  const now = Date.now();
  const receipt = (seq: number) => ({
    kind: 'display' as const,
    receiptId: randomUUID(),
    seq,
    noticeId: notice.id,
    contentHash,
    clockTrusted: true,
    startedAt: now - 20_000 + seq,
    endedAt: now - 10_000 + seq,
  });
  data(await kiosk.socket.emitWithAck('display:report', { receipts: [receipt(1), receipt(3)] }));
  data(
    await kiosk.socket.emitWithAck('device:heartbeat', {
      build: 'b-e2e',
      clock: Date.now() + 5 * 60_000,
      showing: { noticeId: notice.id, contentHash },
      queued: 4,
      quarantined: 1,
    }),
  );
  return kiosk;
}
