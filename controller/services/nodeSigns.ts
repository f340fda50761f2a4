/**
 * The signs behind village nodes as the admin sees them: each one's profile
 * (the controller's) with what its node last reported in a heartbeat — link,
 * reachability, what it shows, power and brightness. The signs service lists
 * them beside its own signs.
 */
import { emptyCounters } from '../domain/signs.js';
import type { NodeSignStatus, SignFrameView, SignProfile, SignView } from '../protocol/index.js';

export interface NodeSigns {
  /** A node's heartbeat: the signs behind it now. */
  update(nodeId: string, statuses: readonly NodeSignStatus[]): void;
  list(): SignView[];
  view(id: string): SignView | null;
  /** What it shows, as text (the node has the dot matrix; the controller only what was acknowledged). */
  frame(id: string): SignFrameView | null;
  /** Called with a sign's id when its node reported something new about it. */
  onChange(listener: (signId: string) => void): () => void;
}

export function createNodeSigns(deps: { profiles: () => readonly SignProfile[] }): NodeSigns {
  /** Per sign, what a node last reported and which node: a sign moved to another node shows nothing stale from the first. */
  const statuses = new Map<string, { nodeId: string; status: NodeSignStatus }>();
  const listeners = new Set<(signId: string) => void>();
  const profileOf = (id: string): SignProfile | undefined => deps.profiles().find((p) => p.id === id && p.node !== null);
  const viewOf = (p: SignProfile): SignView => {
    const reported = statuses.get(p.id);
    const st = reported?.nodeId === p.node ? reported.status : undefined;
    return {
      id: p.id,
      name: p.name,
      villageId: p.villageId,
      protocol: p.protocol,
      address: p.address,
      portPath: p.port.path,
      baudRate: p.port.baudRate,
      widthPx: p.widthPx,
      heightPx: p.heightPx,
      charset: p.charset,
      emulated: p.emulated,
      nodeId: p.node,
      link: st?.link ?? 'connecting',
      reachable: st?.reachable ?? false,
      lastAckAt: st?.lastAckAt ?? null,
      showing: st?.showing ?? null,
      pending: null,
      power: st?.power ?? true,
      brightness: st?.brightness ?? 15,
      counters: emptyCounters(),
      lastError: st?.lastError ?? null,
      refused: [],
    };
  };
  return {
    update(nodeId, list) {
      for (const status of list) {
        const profile = profileOf(status.id);
        if (profile?.node !== nodeId) continue;
        const before = statuses.get(status.id);
        statuses.set(status.id, { nodeId, status });
        if (before?.nodeId !== nodeId || JSON.stringify(before.status) !== JSON.stringify(status)) for (const l of listeners) l(status.id);
      }
    },
    list: () =>
      deps
        .profiles()
        .filter((p) => p.node !== null)
        .map(viewOf),
    view(id) {
      const p = profileOf(id);
      return p ? viewOf(p) : null;
    },
    frame(id) {
      const p = profileOf(id);
      if (!p) return null;
      const reported = statuses.get(id);
      const showing = reported?.nodeId === p.node ? reported.status.showing : undefined;
      return { width: p.widthPx, height: p.heightPx, rows: null, text: showing ? [showing.text] : [], source: 'last-acknowledged' };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
