import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminApp } from '../../admin/App';
import type { StaffUser, Notice } from '@protocol';
import { ADMIN, EDITOR, REVIEWER, content, fakeApi, fakeLive, noticeOf, version } from './fakes';

afterEach(cleanup);

const prefs = () => {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
};

const published = version({
  id: 'p-v1',
  noticeId: 'p',
  state: 'approved',
  content: content({ title: '道路维修公示', body: '本村道路维修，费用三万元。' }),
});
const submitted = version({
  id: 'p-v2',
  noticeId: 'p',
  number: 2,
  state: 'pending_review',
  revisionOf: 'p-v1',
  submittedBy: EDITOR.id,
  submittedAt: 2_000,
  content: content({ title: '道路维修公示', body: '本村道路维修，费用四万元。' }),
});

async function open(user: StaffUser, notices: Notice[]) {
  const server = fakeApi({ user, notices });
  render(<AdminApp makeApi={() => server.api} connect={fakeLive().connect} prefs={prefs()} />);
  fireEvent.input(screen.getByLabelText('用户名'), { target: { value: user.username } });
  fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  await screen.findByText('彪角镇');
  await act(() => {
    location.hash = '#/notices/p';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  return server;
}

describe('a notice waiting for review, on its page', () => {
  it('shows the author the submitted text read-only with its changes to the published version, and recalls it to draft', async () => {
    const server = await open(EDITOR, [noticeOf([published, submitted])]);
    const section = await screen.findByRole('region', { name: '已提交待审核的第 2 版（只读）' });
    expect(within(section).getByText('与正在展示的第 1 版相比的改动：')).toBeTruthy();
    expect(section.querySelector('del')?.textContent).toContain('三');
    expect(section.querySelector('ins')?.textContent).toContain('四');
    expect(section.querySelector('input, textarea')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '撤回提交' }));
    await screen.findByText('已撤回提交，稿件回到草稿，可以继续编辑后再提交。');
    expect(server.calls).toContain('recallNotice p');
    expect(screen.queryByRole('region', { name: /已提交待审核/ })).toBeNull();
    expect(screen.getByRole('button', { name: '编辑草稿' })).toBeTruthy();
  });

  it('offers 撤回提交 to an admin but not to a reviewer who did not submit it', async () => {
    await open(ADMIN, [noticeOf([published, submitted])]);
    expect(await screen.findByRole('button', { name: '撤回提交' })).toBeTruthy();
    cleanup();
    await open(REVIEWER, [noticeOf([published, submitted])]);
    await screen.findByRole('region', { name: '已提交待审核的第 2 版（只读）' });
    expect(screen.queryByRole('button', { name: '撤回提交' })).toBeNull();
  });

  it('shows a new notice’s submitted text whole', async () => {
    await open(EDITOR, [noticeOf([{ ...submitted, number: 1, revisionOf: null }])]);
    const section = await screen.findByRole('region', { name: '已提交待审核的第 1 版（只读）' });
    expect(within(section).getByText('这是一条新公告，以下是提交的全文：')).toBeTruthy();
    expect(section.textContent).toContain('费用四万元');
  });
});
