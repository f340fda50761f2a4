/**
 * Child process: the simulated kiosks of a fault run (see fleet.ts). Answers
 * each request from the parent; exits when the parent disconnects.
 */
import { SimKiosk } from '../../helpers/simKiosk.js';
import type { FleetAnswer, FleetRequest } from './fleet.js';

const kiosks = new Map<string, SimKiosk>();

function kiosk(deviceId: string): SimKiosk {
  const k = kiosks.get(deviceId);
  if (!k) throw new Error(`no kiosk ${deviceId}`);
  return k;
}

async function handle(message: FleetRequest): Promise<Omit<FleetAnswer & { ok: true }, 'id'>> {
  switch (message.type) {
    case 'start':
      for (const k of message.kiosks) kiosks.set(k.deviceId, new SimKiosk({ ...k, ...message.timings }));
      return { ok: true };
    case 'jump':
      kiosk(message.deviceId).jump(message.ms);
      return { ok: true };
    case 'lose':
      await kiosk(message.deviceId).lose(message.n);
      return { ok: true };
    case 'beat':
      await Promise.all(message.deviceIds.map((id) => kiosk(id).beat()));
      return { ok: true };
    case 'produce':
      for (const k of kiosks.values()) k.setProducing(message.on);
      return { ok: true };
    case 'snapshot':
      return { ok: true, snapshots: [...kiosks.values()].map((k) => k.snapshot()) };
  }
}

process.on('message', (raw: unknown) => {
  const { id, ...message } = raw as FleetRequest & { id: number };
  handle(message).then(
    (answer) => process.send?.({ id, ...answer }),
    (error: unknown) => process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => {
  for (const k of kiosks.values()) k.close();
  // socket.io clients with reconnection pending keep timers; the parent is gone, so go.
  setTimeout(() => process.exit(0), 200).unref();
});
