/**
 * The public URL QR codes and kiosk links carry (controller/publicUrl.ts): a
 * controller listening on every interface without --public-url says loudly
 * that its address is a loopback one, with the option to set; when a paired
 * kiosk reaches it at one of this machine's own LAN addresses, QR codes and
 * kiosk links use that address, and a forged Host header changes nothing.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, PublicUrlCheck } from '../../../controller/protocol/index.js';
import {
  type ApiClient,
  type KioskClient,
  type TestController,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';
import { io } from 'socket.io-client';

/** One of this machine's own IPv4 addresses other than loopback, if it has one. */
const lan = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((i) => i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!lan)('the public URL of a controller started without --public-url', () => {
  let t: TestController;
  let admin: ApiClient;
  const open: KioskClient[] = [];
  beforeAll(async () => {
    t = await startController({ args: ['--host', '0.0.0.0'] });
    ({ admin } = await staff(t));
  });
  afterAll(async () => {
    for (const k of open) k.disconnect();
    await t?.dispose();
  });

  const check = async (): Promise<PublicUrlCheck> => data((await admin.get<PublicUrlCheck>('/api/devices/public-url')).body);
  const kioskAt = async (base: string, auth: { deviceId: string; token: string }, host?: string): Promise<void> => {
    const socket = io(`${base}/kiosk`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(host ? { extraHeaders: { host } } : {}),
    });
    open.push(socket);
    await nextEvent(socket, 'server:hello');
  };

  it('says at start that the address is loopback, with the option to set, in the log and to staff', async () => {
    const port = t.controller.port;
    expect(t.url).toBe(`http://localhost:${port}`);
    const warned = t.logs.filter((e) => e.level === 'warn' && e.message.includes('--public-url'));
    expect(warned.map((e) => e.message).join('\n')).toContain(`--public-url http://${lan}:${port}`);
    expect(t.controller.publicUrlOption).toBe(`--public-url http://${lan}:${port}`);
    expect(await check()).toEqual({
      url: `http://localhost:${port}`,
      source: 'default',
      loopback: true,
      remoteKiosks: [],
      option: `--public-url http://${lan}:${port}`,
    });
  });

  it('ignores a Host header naming another machine, and takes the LAN address a paired kiosk really used', async () => {
    const port = t.controller.port;
    const forged = await pairDevice(admin, { name: '伪造地址的屏', villageId: 'v2' });
    await kioskAt(`http://${lan}:${port}`, forged, 'evil.example:80');
    const after = await check();
    expect(after).toMatchObject({ url: `http://localhost:${port}`, source: 'default', loopback: true });
    expect(after.remoteKiosks.map((k) => k.deviceId)).toEqual([forged.deviceId]);
    expect(t.logs.some((e) => e.level === 'warn' && e.message.includes(forged.deviceId) && e.message.includes('--public-url'))).toBe(true);

    const real = await pairDevice(admin, { name: '张堂村村委会', villageId: 'v2' });
    await kioskAt(`http://${lan}:${port}`, real);
    expect(await check()).toMatchObject({
      url: `http://${lan}:${port}`,
      source: 'derived',
      loopback: false,
      option: `--public-url http://${lan}:${port}`,
    });
    const devices = data((await admin.get<DeviceView[]>('/api/devices')).body);
    expect(devices.find((d) => d.id === real.deviceId)?.kioskUrl).toBe(`http://${lan}:${port}/kiosk/?device=${real.deviceId}`);
  });
});

describe('the public URL of a controller started with --public-url', () => {
  it('is used as given, with no warning', async () => {
    const t = await startController({ args: ['--host', '0.0.0.0', '--public-url', 'http://192.168.1.10:8080'] });
    try {
      // Staff on the controller's own machine (the configured address is not this test machine's).
      const { admin } = await staff({ ...t, url: `http://127.0.0.1:${t.controller.port}` });
      expect(data((await admin.get<PublicUrlCheck>('/api/devices/public-url')).body)).toEqual({
        url: 'http://192.168.1.10:8080',
        source: 'configured',
        loopback: false,
        remoteKiosks: [],
        option: null,
      });
      expect(t.logs.filter((e) => e.level === 'warn' && e.message.includes('--public-url'))).toEqual([]);
      expect(t.controller.publicUrlOption).toBeNull();
    } finally {
      await t.dispose();
    }
  });
});
