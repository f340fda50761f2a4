/**
 * Every client→server socket event with its access rule, the socket
 * counterpart of the HTTP route table (protocol/routes.ts). A namespace's
 * connection middleware proves who the client is (a paired kiosk, a staff
 * session); {@link guardEvents} then runs on every packet: an event without a
 * rule never reaches a handler, and a staff event re-checks the session (it
 * may have ended or lost a role since the socket connected), and a payload whose
 * text holds a lone UTF-16 surrogate is refused before any handler sees it.
 */
import type { Socket } from 'socket.io';
import {
  ADMIN_NAMESPACE,
  type Ack,
  type AdminClientToServerEvents,
  KIOSK_NAMESPACE,
  type KioskClientToServerEvents,
  NODE_NAMESPACE,
  type NodeClientToServerEvents,
  type Role,
  type StaffUser,
  fail,
  loneSurrogateRefusal,
} from '../protocol/index.js';
import type { Logger } from '../logger.js';

/** `device`: the paired kiosk the namespace admitted · `signed_in`: any live staff session · roles: a session with one of them. */
export type SocketAccess = 'device' | 'signed_in' | readonly Role[];

export const KIOSK_EVENT_RULES: Readonly<Record<keyof KioskClientToServerEvents, SocketAccess>> = {
  'display:report': 'device',
  'device:heartbeat': 'device',
  'ledger:prove': 'device',
  'ledger:witness-alarm': 'device',
};

export const NODE_EVENT_RULES: Readonly<Record<keyof NodeClientToServerEvents, SocketAccess>> = {
  'node:records': 'device',
  'node:heartbeat': 'device',
  'ledger:prove': 'device',
  'ledger:witness-alarm': 'device',
};

export const ADMIN_EVENT_RULES: Readonly<Record<keyof AdminClientToServerEvents, SocketAccess>> = {
  'devices:list': 'signed_in',
  'signs:watch': 'signed_in',
  'signs:unwatch': 'signed_in',
};

/** Every namespace's table, for the authorization tests. */
export const SOCKET_EVENT_RULES: Readonly<Record<string, Readonly<Record<string, SocketAccess>>>> = {
  [KIOSK_NAMESPACE]: KIOSK_EVENT_RULES,
  [NODE_NAMESPACE]: NODE_EVENT_RULES,
  [ADMIN_NAMESPACE]: ADMIN_EVENT_RULES,
};

/** Events socket.io itself emits on a server-side socket; not sent by clients. */
const RESERVED = new Set<string | symbol>(['disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

/**
 * Checks the rule of `access` for the staff user behind the socket now (null: no live session).
 * Returns a refusal, or null to let the packet through.
 */
export function staffRule(access: SocketAccess, user: StaffUser | null): Ack<never> | null {
  if (access === 'device') return fail('forbidden', 'this event is for kiosks (仅限触摸屏设备)');
  if (!user) return fail('unauthorized', 'your session has ended; sign in again (请重新登录)');
  if (access === 'signed_in') return null;
  return user.roles.some((r) => access.includes(r)) ? null : fail('forbidden', `this needs the ${access.join(' or ')} role (权限不足)`);
}

/**
 * Call at the end of a namespace's connection handler, after its `socket.on`s: installs the per-packet gate,
 * and logs (as an error, which tests watch for) any handler registered without a rule, which the gate refuses.
 */
export function guardEvents(
  socket: Socket,
  rules: Readonly<Record<string, SocketAccess>>,
  check: (access: SocketAccess) => Ack<never> | null,
  logger: Logger,
): void {
  for (const event of socket.eventNames()) {
    if (!RESERVED.has(event) && !Object.hasOwn(rules, event))
      logger.error(`socket event ${String(event)} has a handler but no access rule; it is refused`);
  }
  socket.use((packet, next) => {
    const [event] = packet;
    const last: unknown = packet[packet.length - 1];
    const answer = typeof last === 'function' ? (last as (a: Ack<never>) => void) : null;
    const payloads = packet.slice(1, answer ? -1 : undefined);
    const access = typeof event === 'string' && Object.hasOwn(rules, event) ? rules[event] : undefined;
    const refusal =
      access === undefined
        ? fail('not_found', `no socket event ${typeof event === 'string' ? JSON.stringify(event.slice(0, 64)) : ''} here`)
        : payloads.length > 1
          ? fail('invalid_payload', `send one payload, not ${payloads.length}, then the acknowledgement callback`)
          : (check(access) ?? loneSurrogateRefusal(payloads[0]));
    if (refusal) return answer?.(refusal);
    // Handlers take (payload, ack): a packet with an ack but no payload must not hand them the ack as the payload.
    packet.splice(1, packet.length - 1, payloads[0], ...(answer ? [answer] : []));
    next();
  });
}
