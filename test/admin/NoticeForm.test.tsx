import type { Ack, CreateNoticeRequest, Notice } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NoticeForm } from '../../admin/components/NoticeForm';
import { DICTIONARIES, I18nContext } from '../../admin/i18n';
import { TOWN, notice } from './fakes';

afterEach(cleanup);

function setup(answer: Ack<Notice> = { ok: true, data: notice() }) {
  const save = vi.fn((_body: CreateNoticeRequest) => Promise.resolve(answer));
  const onSaved = vi.fn();
  render(<NoticeForm villages={TOWN.villages} save={save} onSaved={onSaved} />);
  return { save, onSaved };
}

const type = (label: string, value: string): void => {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
};

/** The error text a field points at through aria-describedby. */
function describedError(label: string): string {
  const field = screen.getByLabelText(label);
  const ids = field.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('NoticeForm', () => {
  it('sends title, text and the ticked villages; ticking a village chooses 指定村', async () => {
    const { save, onSaved } = setup();
    type('标题', '张堂村自来水管网改造公示');
    type('正文', '下月开工。\n\n分时停水。');
    fireEvent.click(screen.getByLabelText('张堂村'));
    expect(screen.getByLabelText<HTMLInputElement>('指定村').checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(save).toHaveBeenCalledWith({
      title: '张堂村自来水管网改造公示',
      body: '下月开工。\n\n分时停水。',
      target: { scope: 'villages', villageIds: ['v2'] },
    });
  });

  it('sends a town-wide target and 全镇 clears the ticks', async () => {
    const { save } = setup();
    type('标题', '通知');
    type('正文', '内容');
    fireEvent.click(screen.getByLabelText('彪角村'));
    fireEvent.click(screen.getByLabelText('全镇'));
    expect(screen.getByLabelText<HTMLInputElement>('彪角村').checked).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await waitFor(() => expect(save).toHaveBeenCalledOnce());
    expect(save.mock.calls[0]?.[0].target).toEqual({ scope: 'town' });
  });

  it('checks the form with the protocol schema before sending', async () => {
    const { save } = setup();
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText('请输入标题');
    expect(describedError('标题')).toContain('请输入标题');
    expect(describedError('正文')).toContain('请输入正文');
    expect(screen.getByLabelText('标题').getAttribute('aria-invalid')).toBe('true');
    expect(save).not.toHaveBeenCalled();
  });

  it('shows the controller’s field errors next to the fields they name', async () => {
    const { save, onSaved } = setup({
      ok: false,
      error: 'invalid_payload',
      message: 'target.villageIds: unknown village',
      fields: { 'target.villageIds': 'unknown village v9', title: 'titles are at most 120 characters' },
    });
    type('标题', '通知');
    type('正文', '内容');
    fireEvent.click(screen.getByLabelText('张堂村'));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));

    await screen.findByText('unknown village v9');
    expect(save).toHaveBeenCalledOnce();
    expect(onSaved).not.toHaveBeenCalled();
    expect(describedError('标题')).toBe('标题最多 120 个字');
    const target = screen.getByRole('group', { name: '发布范围' });
    expect(target.getAttribute('aria-invalid')).toBe('true');
    expect(target.textContent).toContain('unknown village v9');
    expect(describedError('正文')).toBe('段落之间空一行。'); // the hint only: no error on the text
    expect(screen.getByRole('alert').textContent).toContain('请按提示修改标出的内容');
  });

  it('shows a refusal without fields as a form message', async () => {
    setup({ ok: false, error: 'forbidden', message: 'this needs the editor role (权限不足)' });
    type('标题', '通知');
    type('正文', '内容');
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('权限不足。');
    expect(alert.textContent).toContain('this needs the editor role');
  });

  it('speaks English when asked', () => {
    const en = { locale: 'en' as const, t: DICTIONARIES.en, setLocale: () => undefined };
    render(
      <I18nContext.Provider value={en}>
        <NoticeForm villages={TOWN.villages} save={() => Promise.resolve({ ok: true, data: notice() })} onSaved={() => undefined} />
      </I18nContext.Provider>,
    );
    expect(screen.getByLabelText('Title')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save draft' })).toBeTruthy();
  });
});
