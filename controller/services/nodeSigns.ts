/**
 * The signs behind village nodes as the admin sees them: each one's profile
 * (the controller's) with what its node last reported in a heartbeat — link,
 * reachability, what it shows, power and brightness. The signs service lists
 * them beside its own signs, and passes staff's commands for them here: they
 * go to the node over its link (realtime/node.ts) and the node's answer is
 * the sign's state after it; a node that is not connected is refused at once.
 */
import { emptyCounters } from '../domain/signs.js';
import {
  type Ack,
  type NodeSignCommand,
  type NodeSignStatus,
  type SignCommand,
  type SignFrameView,
  type SignProfile,
  type SignView,
  fail,
  ok,
} from '../protocol/index.js';

/** Sends a command to a connected node and waits for its answer (within a timeout); null when the node is not connected. */
export type NodeRelay = (nodeId: string, request: NodeSignCommand) => Promise<Ack<NodeSignStatus>> | null;

export interface NodeSigns {
  /** A node's heartbeat: the signs behind it now. */
  update(nodeId: string, statuses: readonly NodeSignStatus[]): void;
  list(): SignView[];
  view(id: string): SignView | null;
  /** What it shows, as text (the node has the dot matrix; the controller only what was acknowledged). */
  frame(id: string): SignFrameView | null;
  /** Called with a sign's id when its node reported something new about it. */
  onChange(listener: (signId: string) => void): () => void;
  /**
   * Runs a staff command on a sign behind a node (null: no such sign here): relayed to its node, answered with the
   * sign as the node reports it after the command, or the node's refusal; a node that is not connected is refused at once.
   */
  command(id: string, command: SignCommand): Promise<Ack<SignView>> | null;
  /** The node hub's way to the connected nodes; returns its removal. */
  relayBy(relay: NodeRelay): () => void;
}

export function createNodeSigns(deps: {
  profiles: () => readonly SignProfile[];
  /** A node's name for messages (its id when unknown). */
  nodeName?: (nodeId: string) => string | null;
}): NodeSigns {
  let relay: NodeRelay | null = null;
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
  const update = (nodeId: string, list: readonly NodeSignStatus[]): void => {
    for (const status of list) {
      const profile = profileOf(status.id);
      if (profile?.node !== nodeId) continue;
      const before = statuses.get(status.id);
      statuses.set(status.id, { nodeId, status });
      if (before?.nodeId !== nodeId || JSON.stringify(before.status) !== JSON.stringify(status)) for (const l of listeners) l(status.id);
    }
  };
  return {
    update,
    command(id, command) {
      const profile = profileOf(id);
      if (!profile?.node) return null;
      const nodeId = profile.node;
      const name = deps.nodeName?.(nodeId) ?? nodeId;
      const sent = relay?.(nodeId, { signId: id, command }) ?? null;
      if (!sent)
        return Promise.resolve(
          fail(
            'unavailable',
            `村级节点“${name}”离线，这块屏现在无法手动操作；节点重新连上后再试。The village node ${name} is offline: this sign cannot be operated until it is back.`,
          ),
        );
      return sent.then((answer) => {
        if (!answer.ok) return answer;
        update(nodeId, [answer.data]);
        // The profile may have moved while the command travelled: the answer still says what the sign did.
        return ok(viewOf(profileOf(id) ?? profile));
      });
    },
    relayBy(next) {
      relay = next;
      return () => {
        if (relay === next) relay = null;
      };
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
