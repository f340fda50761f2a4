import { describe, expect, it } from 'vitest';
import { SIGN_PRESETS, describeHit } from '@protocol';
import { DICTIONARIES, fieldMessage } from '../../admin/i18n';
import { z } from 'zod';
import { FIELD_MESSAGES, type FieldMessage, ZOD_MESSAGES, type ZodMessage, zodMessageId } from '../../admin/i18n/fieldMessages';

const HAN = /\p{Script=Han}/u;
const entries = Object.entries(FIELD_MESSAGES) as [string, FieldMessage][];

describe('the field message catalogue', () => {
  it('gives every id a Chinese and an English text, each in its own script', () => {
    expect(entries.length).toBeGreaterThan(50);
    for (const [id, m] of entries) {
      expect(m.zh, id).toMatch(HAN);
      expect(m.en.trim(), id).not.toBe('');
      expect(m.en, id).not.toMatch(HAN);
      expect(m.wire, id).not.toMatch(HAN);
    }
  });

  it('finds each message by the text the controller sends, once', () => {
    const wires = entries.map(([, m]) => m.wire);
    expect(new Set(wires).size).toBe(wires.length);
    for (const [id, m] of entries) {
      expect(fieldMessage(DICTIONARIES.zh, m.wire), id).toBe(m.zh);
      expect(fieldMessage(DICTIONARIES.en, m.wire), id).toBe(m.en);
    }
  });

  it('shows each half of a bilingual message in its language, and an unknown one as sent', () => {
    expect(fieldMessage(DICTIONARIES.zh, 'wrong password (当前密码不正确)')).toBe('当前密码不正确');
    expect(fieldMessage(DICTIONARIES.en, 'wrong password (当前密码不正确)')).toBe('wrong password');
    expect(fieldMessage(DICTIONARIES.en, 'something new')).toBe('something new');
  });
});

describe('labels the protocol gives the admin', () => {
  it('names a privacy hit in the reader’s language only', () => {
    for (const kind of ['id_card', 'id_card_legacy', 'mobile', 'bank_card', 'email'] as const) {
      expect(describeHit({ kind }, 'zh'), kind).not.toMatch(/[A-Za-z]{2,}/);
      expect(describeHit({ kind }, 'en'), kind).not.toMatch(HAN);
    }
    expect(describeHit({ kind: 'id_card' }, 'zh')).toBe('身份证号');
  });

  it('names every sign size preset in both languages', () => {
    expect(SIGN_PRESETS.map((p) => p.label)).toContain('单行 4 字 (64×16)');
    expect(SIGN_PRESETS.map((p) => p.label)).toContain('单行大字 6 字 (192×32, 32 点)');
    for (const p of SIGN_PRESETS) {
      expect(p.label, p.id).toMatch(HAN);
      expect(p.labelEn, p.id).not.toMatch(HAN);
    }
    expect(SIGN_PRESETS[0]?.labelEn).toBe('One line of 4 characters (64×16)');
  });

  it('explains every mask 一键脱敏 applies, the bank card’s included', () => {
    expect(DICTIONARIES.zh.privacy.maskHint).toContain('银行卡号');
    expect(DICTIONARIES.en.privacy.maskHint).toContain('bank card');
  });
});

describe('zod’s own messages', () => {
  /** Every message zod itself writes for these rules, from real parses. */
  const zodMessages = (): string[] => {
    const schema = z
      .object({
        required: z.string(),
        type: z.number(),
        int: z.number().int(),
        short: z.string().min(3),
        filled: z.string().min(1),
        long: z.string().max(2),
        few: z.array(z.string()).min(1),
        many: z.array(z.string()).max(1),
        small: z.number().min(1),
        positive: z.number().positive(),
        big: z.number().max(10),
        option: z.enum(['board', 'wechat']),
        literal: z.literal('kiosk'),
        pattern: z.string().regex(/^\d{6}$/),
        email: z.email(),
        multiple: z.number().multipleOf(5),
        flag: z.boolean(),
      })
      .strict();
    const result = schema.safeParse({
      type: 'x',
      int: 1.5,
      short: 'ab',
      filled: '',
      long: 'abc',
      few: [],
      many: ['a', 'b'],
      small: 0,
      positive: 0,
      big: 11,
      option: 'radio',
      literal: 'node',
      pattern: '12',
      email: 'nope',
      multiple: 7,
      flag: 'yes',
      extra: 1,
    });
    if (result.success) throw new Error('the sample should fail');
    return result.error.issues.map((i) => i.message);
  };

  it('maps every one to a catalogue id, read in the reader’s language', () => {
    const messages = zodMessages();
    expect(messages.length).toBeGreaterThanOrEqual(17);
    for (const message of messages) {
      expect(zodMessageId(message), message).toBeDefined();
      const zh = fieldMessage(DICTIONARIES.zh, message);
      const en = fieldMessage(DICTIONARIES.en, message);
      expect(zh, message).toMatch(HAN);
      expect(zh, message).not.toMatch(/\b(Invalid|expected|received|Too)\b/);
      expect(en, message).not.toMatch(HAN);
      expect(en, message).not.toBe(message);
    }
  });

  it('keeps zod’s numbers and names in the message', () => {
    const zh = (m: string): string => fieldMessage(DICTIONARIES.zh, m);
    const en = (m: string): string => fieldMessage(DICTIONARIES.en, m);
    expect(zh('Invalid input: expected string, received undefined')).toBe('请填写此项');
    expect(en('Invalid input: expected string, received number')).toBe('Must be text');
    expect(zh('Too big: expected string to have <=60 characters')).toBe('最多 60 个字');
    expect(en('Too small: expected array to have >=1 items')).toBe('At least 1 item');
    expect(zh('Too small: expected number to be >=5')).toBe('不能小于 5');
    expect(en('Unrecognized keys: "a", "b"')).toBe('Unexpected field: a, b');
  });

  it('gives every zod id both languages', () => {
    for (const [id, m] of Object.entries(ZOD_MESSAGES) as [string, ZodMessage][]) {
      expect(m.zh('1', '1', 'characters'), id).toMatch(HAN);
      expect(m.en('1', '1', 'characters'), id).not.toMatch(HAN);
    }
  });
});
