import { describe, expect, it } from 'vitest';
import { createHttpApi } from '../../admin/lib/api';

describe('admin HTTP API for devices and emergencies', () => {
  it('sends pairing, edits, revocation, device settings and acknowledgements to their routes, escaping ids', async () => {
    const calls: string[] = [];
    const api = createHttpApi({
      fetch: (input, init) => {
        calls.push(`${init?.method} ${input as string} ${(init?.body as string | undefined) ?? ''}`.trim());
        return Promise.resolve(new Response(JSON.stringify({ ok: true, data: {} }), { headers: { 'content-type': 'application/json' } }));
      },
    });
    await api.pairDevice({ code: '123456', name: '张堂村二号屏', villageId: 'v2', location: '卫生室' });
    await api.updateDevice('k 2', { onHours: null });
    await api.revokeDevice('k2', '设备丢失');
    await api.saveDeviceSettings({ offlineAlertMinutes: 60, rotationBoundsSec: { min: 10, max: 45 } });
    await api.emergencyAcks('n/1');
    expect(calls).toEqual([
      'POST /api/devices/pair {"code":"123456","name":"张堂村二号屏","villageId":"v2","location":"卫生室"}',
      'PATCH /api/devices/k%202 {"onHours":null}',
      'POST /api/devices/k2/revoke {"reason":"设备丢失"}',
      'PUT /api/settings/devices {"offlineAlertMinutes":60,"rotationBoundsSec":{"min":10,"max":45}}',
      'GET /api/notices/n%2F1/emergency-acks',
    ]);
  });
});
