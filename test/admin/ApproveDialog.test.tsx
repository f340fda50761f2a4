import type { Ack, ApproveNoticeRequest, Notice } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApproveDialog } from '../../admin/pages/review/ApproveDialog';
import { noticeOf, version } from './fakes';

afterEach(cleanup);

const CHECKS = ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对'];

function setup(hitCount = 0, answer: Ack<Notice> = { ok: true, data: noticeOf([version({ state: 'approved' })]) }) {
  const send = vi.fn((_body: ApproveNoticeRequest) => Promise.resolve(answer));
  const onDone = vi.fn();
  render(<ApproveDialog hitCount={hitCount} send={send} onDone={onDone} onClose={vi.fn()} />);
  const dialog = screen.getByRole('dialog', { name: '审核通过并发布' });
  return { send, onDone, dialog };
}

describe('ApproveDialog (保密审查)', () => {
  it('requires all four boxes, naming each one left unticked', async () => {
    const { send, dialog } = setup();
    for (const label of CHECKS.slice(0, 3)) fireEvent.click(within(dialog).getByLabelText(label));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await within(dialog).findByText('请确认已与原件核对');
    expect(within(dialog).queryByText('请确认不含国家秘密')).toBeNull();
    const unticked = within(dialog).getByLabelText('已与原件核对');
    expect(unticked.getAttribute('aria-invalid')).toBe('true');
    expect(send).not.toHaveBeenCalled();
  });

  it('sends the attestation with the opinion once every box is ticked', async () => {
    const { send, onDone, dialog } = setup();
    for (const label of CHECKS) fireEvent.click(within(dialog).getByLabelText(label));
    fireEvent.input(within(dialog).getByLabelText('审核意见'), { target: { value: '同意发布' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(send).toHaveBeenCalledWith({
      attestation: {
        noStateSecret: true,
        noCommercialSecret: true,
        noUnmaskedPersonalData: true,
        checkedAgainstSource: true,
        opinion: '同意发布',
      },
    });
  });

  it('asks for an override reason only when personal data remains, and sends it', async () => {
    setup(0);
    expect(screen.queryByLabelText('保留个人信息的理由')).toBeNull();
    cleanup();
    const { send, dialog } = setup(2);
    expect(within(dialog).getByText(/仍有 2 处未脱敏的个人信息/)).toBeTruthy();
    for (const label of CHECKS) fireEvent.click(within(dialog).getByLabelText(label));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await within(dialog).findByText('请填写保留个人信息的理由');
    fireEvent.input(within(dialog).getByLabelText('保留个人信息的理由'), { target: { value: '法院公告须公开全名与证件号' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(send).toHaveBeenCalledOnce());
    expect(send.mock.calls[0]?.[0].privacyOverride).toEqual({ reason: '法院公告须公开全名与证件号' });
  });

  it('shows the controller’s refusal (four-eyes) in the dialog', async () => {
    const { dialog } = setup(0, { ok: false, error: 'forbidden', message: 'nobody may approve their own version (不能审核自己的稿件)' });
    for (const label of CHECKS) fireEvent.click(within(dialog).getByLabelText(label));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('权限不足。 不能审核自己的稿件');
  });
});
