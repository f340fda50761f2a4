import type { Notice, StaffUser } from '@protocol';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminApp } from '../../admin/App';
import { ADMIN, DEVICE, EDITOR, REVIEWER, content, fakeApi, fakeLive, noticeOf, record, version } from './fakes';

afterEach(cleanup);

function memoryPrefs(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

async function signIn(user: StaffUser = ADMIN, notices?: Notice[]) {
  const server = fakeApi({ user, notices });
  const live = fakeLive();
  const prefs = memoryPrefs();
  render(<AdminApp makeApi={() => server.api} connect={live.connect} prefs={prefs} />);
  fireEvent.input(screen.getByLabelText('用户名'), { target: { value: user.username } });
  fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  if (!user.mustChangePassword) await screen.findByText('彪角镇');
  return { ...server, ...live, prefs };
}

const navigate = async (hash: string): Promise<void> => {
  await act(() => {
    location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
};

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`tr[data-notice-id="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

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

  it('asks a user with an admin-set password for a new one before anything else', async () => {
    const { calls } = await signIn({ ...EDITOR, mustChangePassword: true });
    await screen.findByRole('heading', { name: '请设置新密码' });
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    fireEvent.input(screen.getByLabelText('当前密码'), { target: { value: 'pw' } });
    fireEvent.input(screen.getByLabelText('新密码'), { target: { value: 'Qiuyue-2026-huanghe' } });
    fireEvent.input(screen.getByLabelText('再次输入新密码'), { target: { value: 'Qiuyue-2026-huanghe' } });
    fireEvent.click(screen.getByRole('button', { name: '保存新密码' }));
    await screen.findByRole('navigation', { name: '主菜单' });
    expect(calls).toContain('changePassword');
  });

  it('tells the user of failed sign-ins to their account since their last sign-in, until dismissed', async () => {
    const lastAt = Date.UTC(2026, 10, 26, 1, 5); // 09:05 in the town
    await signIn({ ...ADMIN, failedSignIns: { count: 23, lastAt, addresses: ['10.0.0.66', '10.0.0.7'] } });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('23 次登录失败');
    expect(alert.textContent).toContain('2026-11-26 09:05');
    expect(alert.textContent).toContain('10.0.0.66, 10.0.0.7');
    fireEvent.click(within(alert).getByRole('button', { name: '知道了' }));
    expect(screen.queryByText(/次登录失败/)).toBeNull();
  });

  it('shows no failed sign-ins banner when there were none', async () => {
    await signIn();
    expect(screen.queryByText(/次登录失败/)).toBeNull();
  });

  it('lists notices with their state, a revision in progress and the deadline flag', async () => {
    const published = version({ id: 'p-v1', noticeId: 'p', state: 'approved', content: content({ title: '已发布公告' }) });
    const revision = version({
      id: 'p-v2',
      noticeId: 'p',
      number: 2,
      state: 'pending_review',
      revisionOf: 'p-v1',
      content: content({ title: '已发布公告（修订）' }),
    });
    const overdue = noticeOf([version({ id: 'o-v1', noticeId: 'o', content: content({ title: '逾期草稿' }) })], {
      deadline: { deadline: '2026-11-02', workingDaysLeft: -3, state: 'overdue' },
    });
    const server = fakeApi({ notices: [noticeOf([published, revision]), overdue] });
    render(<AdminApp makeApi={() => server.api} connect={fakeLive().connect} prefs={memoryPrefs()} />);
    fireEvent.input(screen.getByLabelText('用户名'), { target: { value: 'admin' } });
    fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByText('已发布公告（修订）');
    expect(within(row('p')).getByText('已发布·修订待审')).toBeTruthy();
    expect(within(row('o')).getByText('逾期')).toBeTruthy();
    expect(row('o').querySelector('[data-deadline="overdue"]')?.textContent).toContain('2026-11-02');
  });

  it('filters the list through the controller and pages through it', async () => {
    const { calls } = await signIn();
    fireEvent.change(screen.getByLabelText('状态'), { target: { value: 'draft' } });
    fireEvent.input(screen.getByLabelText('关键词'), { target: { value: '防火' } });
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    await waitFor(() => expect(calls.some((c) => c.includes('"state":"draft"') && c.includes('"q":"防火"'))).toBe(true));
    await screen.findByText('没有符合条件的公告。');
  });

  it('sends the date range with the other filters, and pages with 上一页 and 下一页', async () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      noticeOf([version({ id: `m${i}-v1`, noticeId: `m${i}`, content: content({ title: `第${i + 1}条公告` }) })]),
    );
    const { calls } = await signIn(ADMIN, many);
    await screen.findByText('第 1 / 3 页，共 45 条');
    expect(screen.getByText('第1条公告')).toBeTruthy();
    expect(screen.queryByText('第21条公告')).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '上一页' }).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await screen.findByText('第21条公告');
    expect(screen.getByText('第 2 / 3 页，共 45 条')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await screen.findByText('第41条公告');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '下一页' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '上一页' }));
    await screen.findByText('第21条公告');

    fireEvent.input(screen.getByLabelText('更新日期从'), { target: { value: '2026-11-01' } });
    fireEvent.input(screen.getByLabelText('到'), { target: { value: '2026-11-30' } });
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    // Applying filters starts again at the first page.
    await waitFor(() => expect(calls).toContain('notices {"from":"2026-11-01","to":"2026-11-30","page":1,"pageSize":20}'));
    expect(calls.filter((c) => c.startsWith('notices ')).map((c) => (JSON.parse(c.slice(8)) as { page: number }).page)).toEqual(
      expect.arrayContaining([1, 2, 3]),
    );
  });

  it('drafts a notice and lists it', async () => {
    await signIn(EDITOR);
    fireEvent.click(screen.getByRole('button', { name: '新建公告' }));
    await navigate('#notices/new');
    fireEvent.input(await screen.findByLabelText('标题'), { target: { value: '张堂村自来水管网改造公示' } });
    fireEvent.input(screen.getByLabelText('正文'), { target: { value: '下月开工。' } });
    fireEvent.click(screen.getByLabelText('张堂村'));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText('草稿已保存。');
    await navigate('#notices');
    const saved = await screen.findByText('张堂村自来水管网改造公示');
    expect(within(saved.closest('tr')!).getByText('草稿')).toBeTruthy();
  });

  it('applies live changes: notices updated, records prepended, devices merged', async () => {
    const { state, put } = await signIn();
    await screen.findByText('已发布的公告');
    const withdrawn = noticeOf([
      version({ id: 'a-v1', noticeId: 'n-approved', state: 'withdrawn', content: content({ title: '已发布的公告' }) }),
    ]);
    put(withdrawn);
    await act(() => state.handlers?.noticeChanged(withdrawn));
    await waitFor(() => expect(within(row('n-approved')).getByText('已撤回')).toBeTruthy());

    await navigate('#records');
    expect(screen.getByRole('link', { name: '展示记录' }).getAttribute('aria-current')).toBe('page');
    const receipt = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await act(() =>
      state.handlers?.displaysRecorded({
        records: [record({ seq: 2, receiptId: receipt(2) }), record({ seq: 3, receiptId: receipt(3) })],
        dropped: 0,
      }),
    );
    const rows = [...document.querySelectorAll('[data-receipt-id]')].map((r) => r.getAttribute('data-receipt-id'));
    expect(rows).toEqual([receipt(3), receipt(2), receipt(1)]);
    expect(document.querySelector('[data-receipt-id]')?.textContent).toContain('已发布的公告');

    await navigate('#devices');
    expect(screen.getByText('在线')).toBeTruthy();
    const { kioskUrl: _listedOnly, ...pushed } = DEVICE; // a pushed Device has no kiosk URL
    await act(() => state.handlers?.deviceChanged({ ...pushed, online: false }));
    expect(screen.getByText('离线')).toBeTruthy();
    expect(screen.getByRole('link', { name: '打开展示页' }).getAttribute('href')).toBe(DEVICE.kioskUrl);
  });

  it('fetches the records again when a live batch says the controller left some out', async () => {
    const { api, state } = await signIn();
    await navigate('#records');
    const receipt = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    // The controller's list now: what the batch carried and the record it left out.
    api.records = () => Promise.resolve({ ok: true, data: [3, 2, 1].map((seq) => record({ seq, receiptId: receipt(seq) })) });
    await act(() => state.handlers?.displaysRecorded({ records: [record({ seq: 3, receiptId: receipt(3) })], dropped: 1 }));
    await waitFor(() =>
      expect([...document.querySelectorAll('[data-receipt-id]')].map((r) => r.getAttribute('data-receipt-id'))).toEqual([
        receipt(3),
        receipt(2),
        receipt(1),
      ]),
    );
  });

  it('shows an editor neither the review queue nor user management', async () => {
    await signIn(EDITOR);
    const nav = screen.getByRole('navigation', { name: '主菜单' });
    expect(within(nav).queryByRole('link', { name: /审核/ })).toBeNull();
    expect(within(nav).queryByRole('link', { name: '用户与村' })).toBeNull();
    expect(within(nav).getByRole('link', { name: '设备' })).toBeTruthy();
  });

  it('names staff from /api/staff for a non-admin, and falls back to the id for someone unknown', async () => {
    const written = version({ id: 's-v1', noticeId: 's', state: 'approved', editors: [EDITOR.id, 'u-gone'] });
    // A reviewer may not list accounts (/api/users), but sees who wrote what.
    const { calls } = await signIn(REVIEWER, [noticeOf([written])]);
    expect(calls).toContain('staff');
    await navigate('#notices/s');
    await waitFor(() => expect(document.querySelector('li[data-version="1"]')?.textContent).toContain('李文书、u-gone'));
    expect(document.querySelector('li[data-version="1"]')?.textContent).not.toContain(EDITOR.id);
  });

  it('shows category and key-area names in the UI language', async () => {
    await signIn();
    await screen.findByText('已发布的公告');
    expect(within(row('n-approved')).getByText('突发公共事件应急预案和预警')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(within(row('n-approved')).getByText('Emergency plans and warnings for public emergencies')).toBeTruthy();
    await navigate('#notices/new');
    expect(screen.getByRole('option', { name: 'Village finances' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Food safety' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '中文' }));
    expect(screen.getByRole('option', { name: '财务公开' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: '食安' })).toBeTruthy();
  });

  it('switches to English and back, and remembers the choice', async () => {
    const { prefs } = await signIn();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('link', { name: 'Notices' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(prefs.data.get('gongshi:admin:locale')).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: '中文' }));
    expect(screen.getByRole('link', { name: '公告' })).toBeTruthy();
  });

  it('signs out and closes the live link', async () => {
    const { state, calls } = await signIn();
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    await screen.findByRole('button', { name: '登录' });
    expect(calls).toContain('logout');
    await waitFor(() => expect(state.closed).toBe(1)); // Preact runs effect cleanups after paint
  });

  it('takes the roles and villages an admin gives the user from the live link: header and menu at once, no page they may not open', async () => {
    const { state } = await signIn({ ...EDITOR, roles: ['editor', 'reviewer'], villageIds: ['v1', 'v2'] });
    const access = (): string | null | undefined => document.querySelector('.user-access')?.textContent;
    const reviewLink = () => within(screen.getByRole('navigation', { name: '主菜单' })).queryByRole('link', { name: /^审核/ });
    expect(access()).toBe('角色：拟稿人、审核人；范围：全镇');
    expect(reviewLink()).toBeTruthy();
    await navigate('#review');
    await act(() => state.handlers?.accessChanged?.({ roles: ['editor'], villageIds: ['v2'] }));
    await waitFor(() => expect(access()).toBe('角色：拟稿人；范围：张堂村'));
    expect(reviewLink()).toBeNull();
    await waitFor(() => expect(location.hash).toBe('#notices'));
    expect(state.closed).toBe(0); // the same link, not a new one
  });

  it('signs out saying why when the controller ends the session', async () => {
    const { state, prefs, calls } = await signIn(EDITOR);
    await act(() => state.handlers?.sessionEnded?.('password_reset'));
    await screen.findByText('管理员重置了您的密码，已退出登录。请用新密码重新登录。');
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    expect(prefs.data.get('gongshi:admin:signed-in')).toBe('no');
    expect(calls).not.toContain('logout');
  });

  it('says the sign-in’s 12 hours are up when the controller ends an expired session', async () => {
    const { state, calls } = await signIn(EDITOR);
    await act(() => state.handlers?.sessionEnded?.('expired'));
    await screen.findByText('登录已满 12 小时，已自动退出。请重新登录。');
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    expect(calls).not.toContain('logout');
  });

  it('asks whether the session still stands when the controller closes the link without a reason, and signs out if not', async () => {
    const { state, calls } = await signIn(EDITOR);
    expect(calls).not.toContain('me');
    await act(() => state.handlers?.sessionEnded?.(null));
    await screen.findByText('登录已失效，请重新登录。');
    expect(calls).toContain('me');
  });
});
