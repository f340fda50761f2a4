/**
 * The emulated BX-5K/6K card: reads BX frames addressed to it (or to the
 * broadcast), acts on each command, and answers (ACK, or NACK with the card's
 * error code) only when the frame asks for it. Faults it honours: drop the
 * frame, corrupt it (→ CRC NACK), answer busy.
 */
import { type BxCommand, decodeBxRequest, describeBxCommand, encodeBxRequest } from '../bx/commands.js';
import { BX_BROADCAST_ADDRESS, BX_HOST_ADDRESS, defaultHeader, encodeBxFrame } from '../bx/frame.js';
import { BxFramer, type BxFramerEvent } from '../bx/framer.js';
import { BX_ERROR_BUSY, BX_ERROR_CRC } from '../errors.js';
import type { CardFactory, CardHost, CardOptions, EmulatedCard } from './card.js';
import type { AreaView } from './render.js';

const BX_BAD_PARAMETER = 18;
const BX_NO_SUCH_COMMAND = 2;

export const createBxCard: CardFactory = (host: CardHost, options: CardOptions): EmulatedCard => {
  const framer = new BxFramer();
  const { st, counts, faults } = host;

  function answer(ack: boolean, error: number): void {
    if (ack) counts.acks++;
    else counts.nacks++;
    const data = encodeBxRequest({ command: { kind: 'reply', ack, error }, replyWanted: false });
    const frame = encodeBxFrame({ header: { ...defaultHeader(BX_HOST_ADDRESS), src: host.address }, data });
    host.reply(frame, ack ? 'ACK' : `NACK ${error}`);
  }

  function apply(command: BxCommand): boolean {
    const now = host.now();
    switch (command.kind) {
      case 'ping':
        return true;
      case 'clock':
        st.clock = { set: command.clock, at: now };
        return true;
      case 'power':
        st.power = command.on;
        return true;
      case 'brightness':
        st.brightness = command.level;
        st.brightnessMode = command.mode;
        return true;
      case 'clear':
        st.areas = [];
        return true;
      case 'text': {
        const keep = command.deleteAreas === 'all' ? [] : st.areas.filter((a) => !(command.deleteAreas as number[]).includes(a.id));
        const updated: AreaView[] = command.areas.map((a) => ({
          id: a.areaId,
          x: a.x,
          y: a.y,
          width: Math.min(a.width, host.width - a.x),
          height: Math.min(a.height, host.height - a.y),
          text: a.text,
          layout: a.displayMode >= 3 && a.singleLine === 1 ? 'scroll' : 'pages',
          stayMs: Math.max(1, a.stayTime) * 500,
          pxMs: (a.speed + 1) * 8,
          updatedAt: now,
        }));
        st.areas = [...keep.filter((k) => !updated.some((u) => u.id === k.id)), ...updated].sort((x, y) => x.id - y.id);
        return true;
      }
      case 'reply':
      case 'unknown':
        return false;
    }
  }

  /** Returns whether the sign's state may have changed. */
  function onFrame(event: BxFramerEvent): boolean {
    if (event.kind === 'noise') return false;
    counts.framesReceived++;
    if (event.kind === 'error') {
      counts.badFrames++;
      const header = event.header;
      host.record('in', event.raw, `bad frame (${event.reason})`);
      // A CRC failure can be answered to its sender; anything else is unreadable.
      if (event.reason === 'crc' && header && header.dst === host.address) answer(false, BX_ERROR_CRC);
      return false;
    }
    const { header, data } = event.frame;
    if (header.src === host.address || (header.dst !== host.address && header.dst !== BX_BROADCAST_ADDRESS)) return false;
    counts.framesForMe++;
    if (faults.drop > 0) {
      faults.drop--;
      counts.dropped++;
      host.record('in', event.raw, 'dropped (fault)');
      return false;
    }
    let decoded: ReturnType<typeof decodeBxRequest>;
    try {
      decoded = decodeBxRequest(data, options.a306);
    } catch (error) {
      host.record('in', event.raw, `undecodable: ${String(error)}`);
      if (data[2] === 0x01) answer(false, BX_BAD_PARAMETER);
      return false;
    }
    const { command, replyWanted } = decoded;
    host.record('in', event.raw, describeBxCommand(command));
    if (faults.corrupt > 0) {
      faults.corrupt--;
      counts.badFrames++;
      answer(false, BX_ERROR_CRC);
      return false;
    }
    if (faults.busy > 0) {
      faults.busy--;
      if (replyWanted) answer(false, BX_ERROR_BUSY);
      return false;
    }
    const ok = apply(command);
    counts.commands[command.kind] = (counts.commands[command.kind] ?? 0) + 1;
    if (replyWanted) answer(ok, ok ? 0 : BX_NO_SUCH_COMMAND);
    return true;
  }

  return {
    push: (chunk) => framer.push(chunk).map((event) => ({ end: event.end, handle: () => onFrame(event) })),
  };
};
