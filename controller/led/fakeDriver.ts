/**
 * A sign driver without a wire, for the signs service's tests and for the
 * driver contract suite: it checks the charset like the real drivers, keeps
 * what it was told, and can be told to fail the next calls.
 */
import type { Delivery, SignContent, SignDriver } from '../domain/signs.js';
import type { SignProfile } from '../protocol/signProfile.js';
import { DriverCore, checkCharset, checkLevel } from './driverCore.js';
import { LinkDownError, type SignError } from './errors.js';

export interface FakeDriver extends SignDriver {
  /** The next calls reject with these errors, in order. */
  failNext(...errors: SignError[]): void;
  /** Simulates the link going down or up (up re-sends the desired content). */
  setLink(up: boolean): Promise<void>;
  /** Every call, in order, for assertions. */
  readonly calls: { method: string; arg?: unknown }[];
}

export function createFakeDriver(profile: Pick<SignProfile, 'id' | 'charset'>, now: () => number = Date.now): FakeDriver {
  const core = new DriverCore(profile.id, now);
  core.st.link = 'up';
  const failures: SignError[] = [];
  const calls: { method: string; arg?: unknown }[] = [];

  async function deliver(method: string, arg?: unknown): Promise<Delivery> {
    calls.push(arg === undefined ? { method } : { method, arg });
    await Promise.resolve();
    const failure = failures.shift();
    if (failure) {
      core.failed(failure);
      throw failure;
    }
    if (core.st.link !== 'up') {
      const error = new LinkDownError(`fake:${profile.id}`, 'not connected');
      core.failed(error);
      throw error;
    }
    core.st.counters.framesSent++;
    core.st.counters.acks++;
    const at = now();
    core.st.lastAckAt = at;
    return { proof: 'acknowledged', at, attempts: 1, bytes: 0 };
  }

  async function show(content: SignContent): Promise<Delivery> {
    checkCharset(content.text, profile.charset);
    core.st.desired = content;
    const delivery = await deliver('show', content);
    if (core.st.desired === content) core.displayed(content, delivery.proof, delivery.at);
    return delivery;
  }

  return {
    id: profile.id,
    proofLevel: 'acknowledged',
    calls,
    show,
    async clear() {
      const delivery = await deliver('clear');
      core.st.desired = null;
      core.ended('cleared', delivery.at);
      return delivery;
    },
    async setBrightness(level) {
      checkLevel(level);
      const delivery = await deliver('setBrightness', level);
      core.st.brightness = level;
      return delivery;
    },
    async setPower(on) {
      const delivery = await deliver('setPower', on);
      if (!on) core.ended('power-off', delivery.at);
      const wasOff = !core.st.power;
      core.st.power = on;
      if (on && wasOff && core.st.desired && core.st.showing) core.displayed(core.st.desired, 'acknowledged', delivery.at);
      return delivery;
    },
    syncClock: (at) => deliver('syncClock', at),
    ping: () => deliver('ping'),
    async restore() {
      core.st.counters.restores++;
      await deliver('ping');
      await deliver('syncClock', now());
      if (core.st.desired) await show(core.st.desired);
    },
    status: () => core.status(),
    subscribe: (listener) => core.subscribe(listener),
    failNext(...errors) {
      failures.push(...errors);
    },
    async setLink(up) {
      const at = now();
      core.st.link = up ? 'up' : 'down';
      if (!up) core.st.showing = null;
      core.emit({ type: 'link', signId: profile.id, state: up ? 'up' : 'down', at, reason: up ? 'plugged in' : 'unplugged' });
      if (up) await this.restore();
    },
  };
}
