/** The EQ2013-F / EQ2023 font cards in the protocol registry (see ../protocols.ts): no answer, no clock, no limit given. */
import { createEqCard } from '../emulator/eqCard.js';
import { createEqDriver } from '../eqDriver.js';
import type { LedProtocol } from '../protocols.js';
import { EQ_BROADCAST_ADDRESS } from './codec.js';

const eq = (name: 'eq2013' | 'eq2023', label: string): LedProtocol => ({
  name,
  label,
  family: 'eq',
  capabilities: { acknowledges: false, brightness: false, power: false, clock: false },
  broadcastAddress: EQ_BROADCAST_ADDRESS,
  answers: null,
  maxPacketBytes: null,
  packetBytes: () => null,
  createDriver: ({ timings, ...deps }) => createEqDriver({ ...deps, refreshIntervalMs: timings.refreshMs }),
  emulatorCard: createEqCard,
  broadcastClock: null,
});

export const EQ_PROTOCOLS = { eq2013: eq('eq2013', 'EQ2013-F'), eq2023: eq('eq2023', 'EQ2023') } as const;
