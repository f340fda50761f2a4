import type { Notice } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReviewDetail } from '../../admin/pages/review/ReviewDetail';
import { ADMIN, EDITOR, REVIEWER, content, fakeApi, noticeOf, pageProps, version } from './fakes';

afterEach(cleanup);

const live = version({
  id: 'p-v1',
  noticeId: 'p',
  state: 'approved',
  content: content({ body: '缴费标准为每人每年380元。', priority: 0 }),
});
const revision = version({
  id: 'p-v2',
  noticeId: 'p',
  number: 2,
  state: 'pending_review',
  revisionOf: 'p-v1',
  correction: { reason: '金额写错' },
  editors: [EDITOR.id],
  submittedBy: EDITOR.id,
  submittedAt: 5_000,
  content: content({ body: '缴费标准为每人每年400元。', priority: 5 }),
});
const notice = noticeOf([live, revision]);

function show(user = REVIEWER) {
  const server = fakeApi({ user, notices: [notice] });
  const { props, went } = pageProps(server.api, user);
  const onChanged = vi.fn();
  render(<ReviewDetail notice={notice} {...props} onChanged={onChanged} />);
  return { ...server, onChanged, went };
}

describe('ReviewDetail', () => {
  it('compares the pending version with the live one: a word diff of the text and the changed fields', () => {
    show();
    expect(screen.getByText('待审：第 2 版')).toBeTruthy();
    expect(screen.getByText(/正在展示：第 1 版/)).toBeTruthy();
    expect(screen.getByText(/金额写错/)).toBeTruthy();
    expect([...document.querySelectorAll('.diff del')].map((d) => d.textContent)).toEqual(['[删除: 380]']);
    expect([...document.querySelectorAll('.diff ins')].map((d) => d.textContent)).toEqual(['[新增: 400]']);
    expect([...document.querySelectorAll('[data-changed-field]')].map((r) => r.getAttribute('data-changed-field'))).toEqual(['priority']);
  });

  it('shows a document type removed by the revision, before and after in words', () => {
    const typed = version({ id: 'd-v1', noticeId: 'd', state: 'approved', content: content({ docType: 'normative' }) });
    const untyped = version({
      id: 'd-v2',
      noticeId: 'd',
      number: 2,
      state: 'pending_review',
      revisionOf: 'd-v1',
      editors: [EDITOR.id],
      submittedBy: EDITOR.id,
      submittedAt: 5_000,
      content: content(),
    });
    const withType = noticeOf([typed, untyped]);
    const { props } = pageProps(fakeApi({ user: REVIEWER, notices: [withType] }).api, REVIEWER);
    render(<ReviewDetail notice={withType} {...props} onChanged={vi.fn()} />);
    const rows = [...document.querySelectorAll('[data-changed-field]')];
    expect(rows.map((r) => r.getAttribute('data-changed-field'))).toEqual(['docType']);
    expect(rows[0]?.querySelector('th')?.textContent).toBe('文件类型');
    expect(rows[0]?.querySelector('.before')?.textContent).toBe('行政规范性文件');
    expect(rows[0]?.querySelector('.after')?.textContent).toBe('一般公告（不计入表二）');
  });

  it('after approving, offers 更正 and 撤回 on the now published version', async () => {
    const { calls, onChanged, went } = show();
    fireEvent.click(screen.getByRole('button', { name: '审核通过并发布' }));
    const dialog = screen.getByRole('dialog', { name: '审核通过并发布' });
    for (const label of ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对'])
      fireEvent.click(within(dialog).getByLabelText(label));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(calls[0]).toMatch(/^approveNotice p /);
    cleanup();
    const approved = onChanged.mock.calls[0]![0] as Notice;
    const { props, went: wentAfter } = pageProps(fakeApi({ user: REVIEWER, notices: [approved] }).api, REVIEWER);
    render(<ReviewDetail notice={approved} {...props} onChanged={vi.fn()} />);
    expect(screen.queryByRole('button', { name: '审核通过并发布' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '更正' }));
    expect(wentAfter).toEqual([{ page: 'editor', id: 'p', correct: true }]);
    expect(screen.getByRole('button', { name: '撤回' })).toBeTruthy();
    expect(went).toEqual([]);
  });

  it('rejects with a reason', async () => {
    const { calls, onChanged } = show();
    fireEvent.click(screen.getByRole('button', { name: '驳回' }));
    const dialog = screen.getByRole('dialog', { name: '驳回' });
    fireEvent.click(within(dialog).getByRole('button', { name: '确认驳回' }));
    await within(dialog).findByText('请填写驳回理由');
    fireEvent.input(within(dialog).getByLabelText('驳回理由'), { target: { value: '请核对金额' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '确认驳回' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(calls).toEqual(['rejectNotice p 请核对金额']);
  });

  it('hides approve and reject from the version’s own author and says why', () => {
    const own = noticeOf([live, { ...revision, editors: [ADMIN.id], submittedBy: ADMIN.id }]);
    const server = fakeApi({ user: ADMIN, notices: [own] });
    const { props } = pageProps(server.api, ADMIN);
    render(<ReviewDetail notice={own} {...props} onChanged={vi.fn()} />);
    expect(screen.queryByRole('button', { name: '审核通过并发布' })).toBeNull();
    expect(screen.queryByRole('button', { name: '驳回' })).toBeNull();
    expect(screen.getByText(/四眼原则/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '撤回' })).toBeTruthy();
  });
});
