/**
 * The EQ2013-F / EQ2023 font cards in the protocol registry (see ../protocols.ts):
 * no answer, no clock, no limit given; each generation speaks its own
 * documented dialect (`EQ_DIALECTS` in codec.ts), in its driver and its
 * emulated card alike.
 */
import { eqCardFor } from '../emulator/eqCard.js';
import { createEqDriver } from '../eqDriver.js';
import type { LedProtocol } from '../protocols.js';
import { EQ_BROADCAST_ADDRESS, EQ_DIALECTS, type EqDialect } from './codec.js';

const eq = (dialect: EqDialect): LedProtocol => ({
  name: dialect.name,
  label: dialect.label,
  family: 'eq',
  capabilities: { acknowledges: false, brightness: false, power: false, clock: false },
  broadcastAddress: EQ_BROADCAST_ADDRESS,
  answers: null,
  maxPacketBytes: null,
  packetBytes: () => null,
  createDriver: ({ timings, ...deps }) => createEqDriver({ ...deps, dialect, refreshIntervalMs: timings.refreshMs }),
  emulatorCard: eqCardFor(dialect),
  broadcastClock: null,
});

export const EQ_PROTOCOLS = { eq2013: eq(EQ_DIALECTS.eq2013), eq2023: eq(EQ_DIALECTS.eq2023) } as const;
