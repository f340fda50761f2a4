import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { applySignEvent, type SignEvent } from '../../../controller/domain/signs.js';
import { bxTextRequest } from '../../../controller/led/bxDriver.js';
import { encodeBxRequest } from '../../../controller/led/bx/commands.js';
import { BX_BROADCAST_ADDRESS, defaultHeader, encodeBxFrame } from '../../../controller/led/bx/frame.js';
import { BxFramer } from '../../../controller/led/bx/framer.js';
import { UNIFONT_PATH, loadUnifont } from '../../../controller/led/emulator/font.js';
import { framebufferToText, litPixels } from '../../../controller/led/emulator/render.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { eqTextFrame } from '../../../controller/led/eqDriver.js';
import { EQ_DIALECTS, encodeEqFrame } from '../../../controller/led/eq/codec.js';
import { content, eventually, profile } from './fixtures.js';

const frame = (dst: number, data: Buffer) => encodeBxFrame({ header: defaultHeader(dst), data });
const ping = (dst: number, replyWanted = true) => frame(dst, encodeBxRequest({ command: { kind: 'ping' }, replyWanted }));

function wired(emu: SignEmulator): { host: PassThrough; replies: () => Buffer[] } {
  const line = new PassThrough();
  const out: Buffer[] = [];
  emu.onOutput((b) => out.push(b));
  emu.attach(line);
  return { host: line, replies: () => out };
}

describe('sign emulator', () => {
  it('answers only frames for its address or the broadcast, and only when the reply flag asks', () => {
    const emu = new SignEmulator({ protocol: 'bx', address: 3, width: 64, height: 16 });
    const { host, replies } = wired(emu);
    host.write(ping(4));
    host.write(ping(3, false));
    host.write(frame(BX_BROADCAST_ADDRESS, encodeBxRequest({ command: { kind: 'power', on: false }, replyWanted: false })));
    expect(replies()).toHaveLength(0);
    expect(emu.state().power).toBe(false);
    host.write(ping(3));
    const [event, ...rest] = new BxFramer().push(Buffer.concat(replies()));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ kind: 'frame', frame: { header: { src: 3, dst: 0x8000 } } });
    expect(event?.kind === 'frame' && Buffer.from(event.frame.data).toString('hex')).toBe('a000000000');
  });

  it('keeps brightness, power and the clock, and loses the RAM areas on reboot', () => {
    const emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32, now: () => Date.UTC(2026, 10, 26, 4) });
    const { host } = wired(emu);
    host.write(frame(1, encodeBxRequest(bxTextRequest(content('公示'), profile(), true))));
    host.write(
      frame(
        1,
        encodeBxRequest({
          command: { kind: 'brightness', mode: 'force', level: 3, table: new Array<number>(48).fill(3) },
          replyWanted: true,
        }),
      ),
    );
    host.write(
      frame(
        1,
        encodeBxRequest({
          command: { kind: 'clock', clock: { year: 2026, month: 11, day: 26, hour: 12, minute: 0, second: 0, weekday: 4 } },
          replyWanted: true,
        }),
      ),
    );
    expect(emu.state()).toMatchObject({ brightness: 3, areas: [{ id: 0, width: 192, height: 32 }] });
    expect(emu.clockNow()).toBe(Date.UTC(2026, 10, 26, 12));
    emu.reboot();
    expect(emu.state()).toMatchObject({ brightness: 3, areas: [] });
  });

  it('pages a long text by its stay time, one screen of two lines at a time', () => {
    let t = 0;
    const emu = new SignEmulator({ protocol: 'bx', address: 1, width: 64, height: 32, now: () => t });
    const { host } = wired(emu);
    const p = profile({ widthPx: 64, heightPx: 32 });
    host.write(frame(1, encodeBxRequest(bxTextRequest({ ...content('一二三四五六七八九十甲乙'), stayTimeSec: 2 }, p, true))));
    expect(emu.visible(0)).toEqual(['一二三四', '五六七八']);
    t = 2000;
    expect(emu.visible(t)).toEqual(['九十甲乙']);
    t = 4000;
    expect(emu.visible(t)).toEqual(['一二三四', '五六七八']);
  });

  it('decodes EQ frames: area, effect and text, and ignores other addresses', () => {
    const emu = new SignEmulator({ protocol: 'eq2013', address: 5, width: 192, height: 32 });
    const { host } = wired(emu);
    const eq = profile({ protocol: 'eq2013', address: 5 });
    host.write(encodeEqFrame({ ...eqTextFrame(content('通知'), eq, EQ_DIALECTS.eq2013), address: 6 }));
    expect(emu.texts()).toEqual([]);
    host.write(encodeEqFrame(eqTextFrame(content('停水通知', 'k', 'scroll'), eq, EQ_DIALECTS.eq2013)));
    expect(emu.state().areas).toMatchObject([{ id: 1, text: '停水通知', layout: 'scroll', width: 192, height: 32 }]);
    expect(emu.state().colour).toBe('1');
  });

  it('adds wire time at its baud before it acts and before its answer arrives', async () => {
    const emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32, baudRate: 9600 });
    const { host, replies } = wired(emu);
    const big = frame(1, encodeBxRequest(bxTextRequest(content('公'.repeat(100)), profile(), true)));
    const started = performance.now();
    host.write(big);
    expect(emu.texts()).toEqual([]);
    await eventually(() => expect(replies().length).toBeGreaterThan(0));
    const elapsed = performance.now() - started;
    // (frame + 30-byte answer) × 10 bits ÷ 9600 baud.
    expect(elapsed).toBeGreaterThanOrEqual(((big.length + 30) * 10 * 1000) / 9600 - 2);
    expect(emu.texts()[0]).toMatch(/^公{100}/);
    emu.dispose();
  });
});

describe.skipIf(loadUnifont() === null)(`framebuffer with GNU Unifont (${UNIFONT_PATH})`, () => {
  it('renders two lines of 16×16 hanzi and 8×16 ASCII into a 1-bit framebuffer', () => {
    const emu = new SignEmulator({ protocol: 'bx', address: 1, width: 64, height: 32, font: loadUnifont(), now: () => 0 });
    const { host } = wired(emu);
    host.write(frame(1, encodeBxRequest(bxTextRequest(content('公示ABC一'), profile({ widthPx: 64, heightPx: 32 }), true))));
    const fb = emu.frameAt(0)!;
    expect(fb.width * fb.height).toBe(fb.pixels.length);
    const rows = framebufferToText(fb).split('\n');
    // 一 is a single horizontal stroke: one lit row segment in the second line.
    const secondLine = rows.slice(16, 32).filter((r) => r.includes('#'));
    expect(secondLine).toHaveLength(1);
    expect(litPixels(fb)).toBeGreaterThan(60);
    emu.reboot();
    expect(litPixels(emu.frameAt(0)!)).toBe(0);
  });
});

describe('proof bookkeeping', () => {
  it('opens an interval at a display, keeps it through an identical re-send, and closes it at the next content or a lost link', () => {
    const events: SignEvent[] = [
      { type: 'displayed', signId: 's', key: 'a', text: 'A', proof: 'sent', at: 10 },
      { type: 'displayed', signId: 's', key: 'a', text: 'A', proof: 'sent', at: 20 },
      { type: 'displayed', signId: 's', key: 'b', text: 'B', proof: 'sent', at: 30 },
      { type: 'link', signId: 's', state: 'down', at: 40, reason: 'unplugged' },
      { type: 'link', signId: 's', state: 'down', at: 45, reason: 'again' },
    ];
    let state = {};
    const closed = events.flatMap((e) => {
      const r = applySignEvent(state, e);
      state = r.state;
      return r.closed;
    });
    expect(closed).toEqual([
      { signId: 's', key: 'a', start: 10, end: 30, proof: 'sent', endReason: 'replaced' },
      { signId: 's', key: 'b', start: 30, end: 40, proof: 'sent', endReason: 'link-lost' },
    ]);
  });
});
