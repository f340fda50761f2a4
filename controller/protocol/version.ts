/**
 * Version of the wire contract between the controller and its clients.
 * Bump it whenever an event, payload or ack shape changes incompatibly; a
 * client that sees a different number in `server:hello` must reload itself.
 */
export const PROTOCOL_VERSION = 1;
