import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminApp } from '../../admin/App';
import { DEVICE, fakeApi, fakeLive, notice, record } from './fakes';

afterEach(cleanup);

function memoryPrefs(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

async function signIn(): Promise<ReturnType<typeof fakeApi> & ReturnType<typeof fakeLive> & { prefs: ReturnType<typeof memoryPrefs> }> {
  const server = fakeApi();
  const live = fakeLive();
  const prefs = memoryPrefs();
  render(<AdminApp makeApi={() => server.api} connect={live.connect} prefs={prefs} />);
  fireEvent.input(screen.getByLabelText('用户名'), { target: { value: 'admin' } });
  fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  await screen.findByText('彪角镇');
  return { ...server, ...live, prefs };
}

describe('AdminApp', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/admin/');
  });

  it('shows the sign-in form at once on a fresh browser, without asking the controller for a 401', () => {
    const server = fakeApi();
    render(<AdminApp makeApi={() => server.api} connect={fakeLive().connect} prefs={memoryPrefs()} />);
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
    expect(server.calls).not.toContain('me');
  });

  it('asks who is signed in when this browser was signed in before', async () => {
    const server = fakeApi();
    render(<AdminApp makeApi={() => server.api} connect={fakeLive().connect} prefs={memoryPrefs({ 'gongshi:admin:signed-in': 'yes' })} />);
    await screen.findByRole('button', { name: '登录' }); // the fake says the session is gone
    expect(server.calls).toContain('me');
  });

  it('signs in, drafts, submits and approves a notice', async () => {
    const { prefs } = await signIn();
    expect(prefs.data.get('gongshi:admin:signed-in')).toBe('yes');
    fireEvent.click(screen.getByRole('button', { name: '新建公告' }));
    fireEvent.input(screen.getByLabelText('标题'), { target: { value: '张堂村自来水管网改造公示' } });
    fireEvent.input(screen.getByLabelText('正文'), { target: { value: '下月开工。' } });
    fireEvent.click(screen.getByLabelText('张堂村'));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));

    const row = await waitFor(() => {
      const found = [...document.querySelectorAll<HTMLElement>('[data-notice-id]')].find((r) =>
        r.textContent?.includes('张堂村自来水管网改造公示'),
      );
      if (!found) throw new Error('row not there yet');
      return found;
    });
    expect(within(row).getByText('草稿')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: '提交审核' }));
    fireEvent.click(await within(row).findByRole('button', { name: '审核通过并发布' }));
    await within(row).findByText('已发布');
  });

  it('applies live changes: notices updated, records prepended, devices merged', async () => {
    const { state } = await signIn();
    await act(() => state.handlers?.noticeChanged(notice({ id: 'n-approved', title: '已发布的公告', state: 'withdrawn' })));
    expect(within(document.querySelector<HTMLElement>('[data-notice-id="n-approved"]')!).getByText('已撤回')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: '展示记录' }));
    expect(screen.getByRole('tab', { name: '展示记录' }).getAttribute('aria-selected')).toBe('true');
    await act(() =>
      state.handlers?.displayRecorded(record({ seq: 2, receiptId: '00000000-0000-4000-8000-000000000002', noticeId: 'n-approved' })),
    );
    const rows = [...document.querySelectorAll('[data-receipt-id]')].map((r) => r.getAttribute('data-receipt-id'));
    expect(rows).toEqual(['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001']);
    expect(document.querySelector('[data-receipt-id]')?.textContent).toContain('已发布的公告');

    fireEvent.click(screen.getByRole('tab', { name: '设备' }));
    expect(screen.getByText('在线')).toBeTruthy();
    const { kioskUrl: _listedOnly, ...pushed } = DEVICE; // a pushed Device has no kiosk URL
    await act(() => state.handlers?.deviceChanged({ ...pushed, online: false }));
    expect(screen.getByText('离线')).toBeTruthy();
    expect(screen.getByRole('link', { name: DEVICE.kioskUrl })).toBeTruthy();
  });

  it('switches to English and back, and remembers the choice', async () => {
    const { prefs } = await signIn();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('tab', { name: 'Notices' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(prefs.data.get('gongshi:admin:locale')).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: '中文' }));
    expect(screen.getByRole('tab', { name: '公告' })).toBeTruthy();
  });

  it('signs out and closes the live link', async () => {
    const { state, calls } = await signIn();
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    await screen.findByRole('button', { name: '登录' });
    expect(calls).toContain('logout');
    await waitFor(() => expect(state.closed).toBe(1)); // Preact runs effect cleanups after paint
  });
});
