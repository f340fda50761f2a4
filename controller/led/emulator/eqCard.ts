/**
 * The emulated EQ font card of one generation: reads `!#…$$` frames addressed
 * to it (or to the broadcast) and applies their inline codes to its areas. It
 * never answers. A frame with a code its generation does not document is a
 * bad frame (counted and logged, not shown), as on a card that cannot read
 * it. An EQ2023 card has no areas: each text frame is the whole screen.
 */
import { EQ_BROADCAST_ADDRESS, type EqDialect, type EqFrame, type EqFramerEvent, EqFramer, describeEqFrame } from '../eq/codec.js';
import type { CardFactory, CardHost, EmulatedCard } from './card.js';
import type { AreaView } from './render.js';

export const eqCardFor =
  (dialect: EqDialect): CardFactory =>
  (host: CardHost): EmulatedCard =>
    createEqCard(host, dialect);

function createEqCard(host: CardHost, dialect: EqDialect): EmulatedCard {
  const framer = new EqFramer(dialect);
  const { counts, faults } = host;
  const st = host.st;

  function apply(frame: EqFrame): void {
    const now = host.now();
    if (!dialect.areas) st.areas = [];
    let area: AreaView | null = null;
    const full = (id: number): AreaView => ({
      id,
      x: 0,
      y: 0,
      width: host.width,
      height: host.height,
      text: '',
      layout: 'pages',
      stayMs: 3000,
      pxMs: 40,
      updatedAt: now,
    });
    const select = (id: number): AreaView => {
      const found = st.areas.find((a) => a.id === id);
      if (found) return found;
      const created = full(id);
      st.areas.push(created);
      return created;
    };
    let wroteText = false;
    for (const s of frame.segments) {
      if (s.type === 'text') {
        area ??= select(1);
        area.text = wroteText ? area.text + s.text : s.text;
        area.updatedAt = now;
        wroteText = true;
        continue;
      }
      const v = Number(s.value);
      switch (s.code) {
        case 'ZD':
          st.areas = v === 0 ? [] : st.areas.filter((a) => a.id !== v);
          area = null;
          break;
        case 'ZI':
          area = select(v);
          wroteText = false;
          break;
        case 'ZC': {
          area ??= select(1);
          const [x, y, w, h] = [0, 4, 8, 12].map((o) => Number(s.value.slice(o, o + 4)));
          Object.assign(area, { x: x ?? 0, y: y ?? 0, width: w ?? host.width, height: h ?? host.height });
          break;
        }
        case 'ZA':
          area ??= select(1);
          area.layout = v >= 49 ? 'scroll' : 'pages';
          break;
        case 'ZS':
          area ??= select(1);
          area.pxMs = Math.max(1, v) * 4;
          break;
        case 'ZH':
          area ??= select(1);
          area.stayMs = Math.max(1, v) * 100;
          break;
        case 'C':
        case '':
          st.colour = s.value;
          break;
        case 'F':
        case 'AH':
        case 'AV':
        case 'ZF':
          break;
      }
    }
  }

  function onFrame(event: EqFramerEvent): boolean {
    counts.framesReceived++;
    if (event.kind === 'error') {
      counts.badFrames++;
      host.record('in', event.raw, `bad frame (${event.reason})`);
      return false;
    }
    const frame = event.frame;
    if (frame.address !== host.address && frame.address !== EQ_BROADCAST_ADDRESS) return false;
    counts.framesForMe++;
    if (faults.drop > 0) {
      faults.drop--;
      counts.dropped++;
      return false;
    }
    host.record('in', event.raw, describeEqFrame(frame));
    apply(frame);
    counts.commands.eq = (counts.commands.eq ?? 0) + 1;
    return true;
  }

  return {
    push: (chunk) => framer.push(chunk).map((event) => ({ end: event.end, handle: () => onFrame(event) })),
  };
}
