/**
 * A staff session lasts 12 hours from its sign-in. An admin page left open
 * past that must stop receiving the town's notices and devices: the
 * controller tells its socket why ('expired') and closes it, with no request
 * from the page needed to notice. A real controller on an injected clock,
 * a real socket.io client with the session cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../../controller/auth/sessions.js';
import type { Ack, Device } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, connectAdmin, nextEvent, staff, startController } from '../../helpers/controller.js';

let shift = 0;
let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

describe('an admin socket whose session runs out', () => {
  beforeAll(async () => {
    t = await startController({ clock: { now: () => Date.now() + shift } });
    clients = await staff(t);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('is told its session expired and closed when the 12 hours are up, not before', async () => {
    // Three seconds before the editor's session ends, the page opens its live link: it is let in and answered.
    shift = SESSION_TTL_MS - 3_000;
    const socket = connectAdmin(t.url, clients.editor.cookie);
    try {
      await nextEvent(socket, 'connect', () => true, 10_000);
      const listed = (await socket.timeout(5_000).emitWithAck('devices:list', {})) as Ack<Device[]>;
      expect(listed.ok).toBe(true);
      const startedAt = Date.now();
      const why = nextEvent<[{ reason: string }]>(socket, 'session:ended', () => true, 15_000);
      const closed = nextEvent<[string]>(socket, 'disconnect', () => true, 15_000);
      expect((await why)[0]).toEqual({ reason: 'expired' });
      expect((await closed)[0]).toBe('io server disconnect');
      // At the expiry, not at once and not long after.
      expect(Date.now() - startedAt).toBeGreaterThan(1_500);
      expect(Date.now() - startedAt).toBeLessThan(8_000);
      // And it cannot come back with the same cookie.
      const again = connectAdmin(t.url, clients.editor.cookie);
      try {
        const [error] = await nextEvent<[Error]>(again, 'connect_error', () => true, 10_000);
        expect(error.message).toMatch(/unauthorized/);
      } finally {
        again.close();
      }
    } finally {
      socket.close();
    }
  }, 60_000);
});
