import type { Ack, Notice } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NoticeList } from '../../admin/components/NoticeList';
import { ADMIN, EDITOR, TOWN, notice } from './fakes';

afterEach(cleanup);

const NOTICES = [
  notice({ id: 'd1', title: '草稿公告', state: 'draft', target: { scope: 'villages', villageIds: ['v1', 'v2'] } }),
  notice({ id: 'p1', title: '待审公告', state: 'pending_review' }),
  notice({ id: 'a1', title: '已发公告', state: 'approved' }),
];

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`[data-notice-id="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

describe('NoticeList', () => {
  it('lists notices with their state in words and their target by village name', () => {
    render(<NoticeList notices={NOTICES} villages={TOWN.villages} user={ADMIN} act={vi.fn()} onChanged={vi.fn()} />);
    expect(within(row('d1')).getByText('草稿')).toBeTruthy();
    expect(within(row('d1')).getByText('彪角村、张堂村')).toBeTruthy();
    expect(within(row('p1')).getByText('待审核')).toBeTruthy();
    expect(within(row('a1')).getByText('已发布')).toBeTruthy();
    expect(within(row('a1')).getByText('全镇')).toBeTruthy();
  });

  it('offers the next step only where it applies and the user may take it', () => {
    render(<NoticeList notices={NOTICES} villages={TOWN.villages} user={ADMIN} act={vi.fn()} onChanged={vi.fn()} />);
    expect(within(row('d1')).getByRole('button', { name: '提交审核' })).toBeTruthy();
    expect(within(row('d1')).queryByRole('button', { name: '审核通过并发布' })).toBeNull();
    expect(within(row('p1')).getByRole('button', { name: '审核通过并发布' })).toBeTruthy();
    expect(within(row('a1')).queryByRole('button')).toBeNull();
    cleanup();

    render(<NoticeList notices={NOTICES} villages={TOWN.villages} user={EDITOR} act={vi.fn()} onChanged={vi.fn()} />);
    expect(within(row('d1')).getByRole('button', { name: '提交审核' })).toBeTruthy();
    expect(within(row('p1')).queryByRole('button', { name: '审核通过并发布' })).toBeNull();
  });

  it('runs the action for that row and hands back the updated notice', async () => {
    const updated = { ...NOTICES[1]!, state: 'approved' as const };
    const act = vi.fn((_action: 'submit' | 'approve', _id: string): Promise<Ack<Notice>> => Promise.resolve({ ok: true, data: updated }));
    const onChanged = vi.fn();
    render(<NoticeList notices={NOTICES} villages={TOWN.villages} user={ADMIN} act={act} onChanged={onChanged} />);
    fireEvent.click(within(row('p1')).getByRole('button', { name: '审核通过并发布' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith(updated));
    expect(act).toHaveBeenCalledWith('approve', 'p1');
  });

  it('shows a refused step in the row it belongs to', async () => {
    const act = vi.fn((): Promise<Ack<Notice>> =>
      Promise.resolve({ ok: false, error: 'invalid_transition', message: 'cannot submit a notice that is approved' }),
    );
    const onChanged = vi.fn();
    render(<NoticeList notices={NOTICES} villages={TOWN.villages} user={ADMIN} act={act} onChanged={onChanged} />);
    fireEvent.click(within(row('d1')).getByRole('button', { name: '提交审核' }));
    const alert = await within(row('d1')).findByRole('alert');
    expect(alert.textContent).toContain('公告状态已变化');
    expect(alert.textContent).toContain('cannot submit a notice that is approved');
    expect(within(row('p1')).queryByRole('alert')).toBeNull();
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('says so when there is nothing yet', () => {
    render(<NoticeList notices={[]} villages={TOWN.villages} user={ADMIN} act={vi.fn()} onChanged={vi.fn()} />);
    expect(screen.getByText(/还没有公告/)).toBeTruthy();
  });
});
