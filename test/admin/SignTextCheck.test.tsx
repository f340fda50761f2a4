import { type Ack, type NoticeTarget, type SignTextCheck, fail, ok } from '@protocol';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { LedSignsCheck } from '../../admin/pages/editor/LedSignsCheck';

afterEach(cleanup);

const TEXT = '请村民王堃于周五前到村委会';

/** The controller's answer for this text: the GB2312 sign of v1 lacks 堃 (index 4), the GBK one has it. */
function checker(answer: (target: NoticeTarget) => Ack<SignTextCheck[]>) {
  const calls: [string, NoticeTarget][] = [];
  return {
    calls,
    check: (text: string, target: NoticeTarget) => (calls.push([text, target]), Promise.resolve(answer(target))),
  };
}

const GB: SignTextCheck = {
  id: 'demo-sign-1',
  name: '彪角村村委会门头屏',
  villageId: 'v1',
  charset: 'gb2312',
  unsupported: [{ index: 4, char: '堃', codePoint: 0x5803 }],
  packet: { bytes: 90, max: 1024 },
};
const GBK: SignTextCheck = { id: 'gbk-1', name: 'GBK 屏', villageId: 'v1', charset: 'gbk', unsupported: [], packet: null };

describe('LedSignsCheck', () => {
  it('lists, per targeted sign that cannot show the text, each missing character by position', async () => {
    const { calls, check } = checker(() => ok([GB, GBK]));
    render(<LedSignsCheck text={TEXT} target={{ scope: 'villages', villageIds: ['v1'] }} check={check} />);
    await screen.findByText('彪角村村委会门头屏（GB2312）缺 1 个字，这条公示不会上这块屏：');
    expect(screen.getByText(/U\+5803 · 第 5 个字/)).toBeTruthy();
    expect(screen.getByText('「堃」')).toBeTruthy();
    expect(screen.queryByText(/GBK 屏/)).toBeNull();
    expect(calls).toEqual([[TEXT, { scope: 'villages', villageIds: ['v1'] }]]);
  });

  it('says so when every targeted sign can show it, and when no sign is targeted', async () => {
    const { check } = checker((target) => ok(target.scope === 'town' ? [GBK] : []));
    const { rerender } = render(<LedSignsCheck text="停水通知" target={{ scope: 'town' }} check={check} />);
    await screen.findByText(/1 块目标屏都能显示这段文字/);
    rerender(<LedSignsCheck text="停水通知" target={{ scope: 'villages', villageIds: ['v9'] }} check={check} />);
    await screen.findByText(/目标村没有 LED 屏/);
  });

  it('says which targeted sign cannot take text this long in one packet', async () => {
    const { check } = checker(() => ok([{ ...GB, unsupported: [], packet: { bytes: 1180, max: 1024 } }, GBK]));
    render(<LedSignsCheck text={TEXT} target={{ scope: 'town' }} check={check} />);
    await screen.findByText(/彪角村村委会门头屏：LED 文字太长，这块屏一次最多收 1024 字节，这段要 1180 字节/);
    expect(screen.queryByText(/都能显示/)).toBeNull();
  });

  it('asks nothing while no village is chosen, and says when the check is unavailable', async () => {
    const { calls, check } = checker(() => fail('unavailable', 'the controller cannot be reached'));
    const { rerender } = render(<LedSignsCheck text={TEXT} target={{ scope: 'villages', villageIds: [] }} check={check} />);
    await new Promise((r) => setTimeout(r, 500));
    expect(calls).toHaveLength(0);
    rerender(<LedSignsCheck text={TEXT} target={{ scope: 'town' }} check={check} />);
    await screen.findByText('暂时无法检查目标屏的字库。');
    await waitFor(() => expect(calls).toHaveLength(1));
  });
});
