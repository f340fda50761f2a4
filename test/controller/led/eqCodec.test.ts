import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EQ_DIALECTS,
  type EqFrame,
  type EqSegment,
  EQ_CODES,
  type EqCodeName,
  decodeEqFrame,
  encodeEqFrame,
  eqCode,
} from '../../../controller/led/eq/codec.js';
import { charsetChars } from '../../../controller/protocol/ledText.js';

const GB2312 = [...charsetChars('gb2312')];

describe('EQ codec', () => {
  it('encodes the documented example frame (66 bytes)', () => {
    const frame: EqFrame = {
      address: 1,
      segments: [
        eqCode('ZD', 0),
        eqCode('ZI', 1),
        { type: 'code', code: 'ZC', value: '0000000001920032' },
        eqCode('ZA', 49),
        eqCode('ZS', 10),
        eqCode('ZH', 10),
        eqCode('C', 1),
        { type: 'text', text: '村委会通知' },
      ],
    };
    const wire = encodeEqFrame(frame);
    expect(wire.length).toBe(66);
    expect(wire.subarray(0, 54).toString('latin1')).toBe('!#001%ZD00%ZI01%ZC0000000001920032%ZA49%ZS10%ZH0010%C1');
    expect(wire.subarray(-2).toString('latin1')).toBe('$$');
    expect(decodeEqFrame(wire)).toEqual(frame);
  });

  it('writes the broadcast address 999 and EQ2023 colour codes', () => {
    const wire = encodeEqFrame({ address: 999, segments: [eqCode('', 3), { type: 'text', text: 'OK' }] });
    expect(wire.toString('latin1')).toBe('!#999%3OK$$');
  });

  it('keeps each generation to its documented codes: EQ2023 is refused %Z… and %C, EQ2013 the bare %n', () => {
    const eq2013 = { address: 1, segments: [eqCode('ZD', 0), eqCode('C', 1), { type: 'text' as const, text: 'OK' }] };
    const eq2023 = { address: 1, segments: [eqCode('', 1), { type: 'text' as const, text: 'OK' }] };
    expect(encodeEqFrame(eq2013, EQ_DIALECTS.eq2013).toString('latin1')).toBe('!#001%ZD00%C1OK$$');
    expect(encodeEqFrame(eq2023, EQ_DIALECTS.eq2023).toString('latin1')).toBe('!#001%1OK$$');
    expect(() => encodeEqFrame(eq2013, EQ_DIALECTS.eq2023)).toThrow(/%ZD is not in the EQ2023 dialect/);
    expect(() => encodeEqFrame(eq2023, EQ_DIALECTS.eq2013)).toThrow(/%n is not in the EQ2013-F dialect/);
    expect(() => decodeEqFrame(Buffer.from('!#001%C1OK$$', 'latin1'), EQ_DIALECTS.eq2023)).toThrow(/not in the EQ2023 dialect/);
    expect(decodeEqFrame(Buffer.from('!#001%1OK$$', 'latin1'), EQ_DIALECTS.eq2023)).toEqual(eq2023);
  });

  it('refuses a bad address, a code with the wrong digits, and % or $ in text, naming them', () => {
    expect(() => encodeEqFrame({ address: 1000, segments: [] })).toThrow(/address/);
    expect(() => encodeEqFrame({ address: 1, segments: [{ type: 'code', code: 'ZH', value: '12' }] })).toThrow(/%ZH takes exactly 4/);
    expect(() => eqCode('ZS', 100)).toThrow(/%ZS/);
    expect(() => encodeEqFrame({ address: 1, segments: [{ type: 'text', text: '降价50%' }] })).toThrow(/“%”/);
    expect(() => encodeEqFrame({ address: 1, segments: [{ type: 'text', text: 'a$$b' }] })).toThrow(/“\$”/);
  });

  const code = fc
    .constantFrom(...(Object.keys(EQ_CODES) as EqCodeName[]))
    .chain((name) =>
      fc.stringMatching(new RegExp(`^\\d{${EQ_CODES[name]}}$`)).map<EqSegment>((value) => ({ type: 'code', code: name, value })),
    );
  const text = fc
    .array(fc.oneof(fc.constantFrom(...GB2312), fc.constantFrom('A', 'b', '1', ' ', '\n', '@', '#')), { minLength: 1, maxLength: 40 })
    .map<EqSegment>((a) => ({ type: 'text', text: a.join('') }));

  it('decode(encode(frame)) is the frame (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.array(fc.oneof(code, text), { maxLength: 8 }), (address, raw) => {
        // Adjacent text segments merge on the wire, and a code's digits would absorb digits of text after it.
        const segments: EqSegment[] = [];
        for (const s of raw) {
          const last = segments.at(-1);
          if (s.type === 'text' && last?.type === 'text') last.text += s.text;
          else segments.push({ ...s });
        }
        const frame: EqFrame = {
          address,
          segments: segments.filter((s, i) => !(s.type === 'text' && /^\d/.test(s.text) && segments[i - 1]?.type === 'code')),
        };
        expect(decodeEqFrame(encodeEqFrame(frame))).toEqual(frame);
      }),
      { numRuns: 300 },
    );
  });
});
