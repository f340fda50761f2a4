/**
 * Every sign the town has: the saved profiles and, in demo mode, one emulated sign per village
 * (led/demoSigns.ts). Reports and the node records ask it for the signs; until it has started (after the
 * first start decided on demo mode) it has none.
 */
import { demoSignProfiles } from '../led/demoSigns.js';
import type { Part } from '../ops/lifecycle.js';
import type { SignProfile } from '../protocol/index.js';
import type { SignProfileStore } from '../store/signProfiles.js';
import type { StateStore } from '../store/state.js';

export interface SignCatalog extends Part {
  /** The saved profiles: what staff edit. */
  readonly saved: SignProfileStore;
  /** The demo signs (none outside demo mode). */
  demo: () => SignProfile[];
  /** Saved and demo signs; none before the start. */
  all: () => readonly SignProfile[];
}

export function createSignCatalog(deps: { saved: SignProfileStore; store: StateStore; demoMode: () => boolean }): SignCatalog {
  let started = false;
  const demo = (): SignProfile[] => (deps.demoMode() ? demoSignProfiles(deps.store.read().villages, deps.store.read().devices) : []);
  return {
    saved: deps.saved,
    demo,
    all: () => (started ? [...deps.saved.list(), ...demo()] : []),
    async start() {
      await deps.saved.start();
      started = true;
    },
    stop() {
      // The saved profiles are a file read on start; nothing to close.
    },
  };
}
