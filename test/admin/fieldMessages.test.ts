import { describe, expect, it } from 'vitest';
import { SIGN_PRESETS, describeHit } from '@protocol';
import { DICTIONARIES, fieldMessage } from '../../admin/i18n';
import { FIELD_MESSAGES, type FieldMessage } from '../../admin/i18n/fieldMessages';

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
