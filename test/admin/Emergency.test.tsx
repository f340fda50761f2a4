/** Emergencies in the admin: the one-reviewer fast path in the approve dialog and the review history, and the 确认接收 panel. */
import type { Ack, ApproveNoticeRequest, EmergencyAckView, Notice } from '@protocol';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmergencyAckPanel } from '../../admin/pages/notices/EmergencyAckPanel';
import { NoticeDetailPage } from '../../admin/pages/notices/NoticeDetailPage';
import { ApproveDialog } from '../../admin/pages/review/ApproveDialog';
import { ReviewDetail } from '../../admin/pages/review/ReviewDetail';
import { REVIEWER, TOWN, content, device, fakeApi, noticeOf, pageProps, version } from './fakes';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const CHECKS = ['不含国家秘密', '不含商业秘密', '个人信息已脱敏', '已与原件核对'];
const FAST = '应急快速签发（单人审核，将记录在案）';
const warning = content({
  title: '暴雨红色预警',
  category: 'a20-emergency',
  emergency: { level: 'red', expiresAt: Date.UTC(2026, 10, 27) },
});

/** A red warning the reviewer wrote and submitted themself. */
const ownWarning = (): Notice =>
  noticeOf([
    version({
      id: 'w-v1',
      noticeId: 'w',
      state: 'pending_review',
      content: warning,
      createdBy: REVIEWER.id,
      editors: [REVIEWER.id],
      submittedBy: REVIEWER.id,
      submittedAt: 2_000,
    }),
  ]);

const tick = (dialog: HTMLElement): void => {
  for (const label of CHECKS) fireEvent.click(within(dialog).getByLabelText(label));
};

describe('the approve dialog’s emergency fast path', () => {
  function setup(fastPath: boolean) {
    const send = vi.fn((_body: ApproveNoticeRequest): Promise<Ack<Notice>> => Promise.resolve({ ok: true, data: ownWarning() }));
    const onDone = vi.fn();
    render(<ApproveDialog hitCount={0} fastPath={fastPath} send={send} onDone={onDone} onClose={vi.fn()} />);
    return { send, onDone, dialog: screen.getByRole('dialog', { name: '审核通过并发布' }) };
  }

  it('is not offered for an ordinary approval, which sends no fastPath', async () => {
    const { send, dialog } = setup(false);
    expect(within(dialog).queryByLabelText(FAST)).toBeNull();
    tick(dialog);
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(send).toHaveBeenCalledOnce());
    expect(send.mock.calls[0]?.[0]).not.toHaveProperty('fastPath');
  });

  it('must be ticked for the reviewer’s own warning, said next to the box, and then sends fastPath: true', async () => {
    const { send, onDone, dialog } = setup(true);
    const box = within(dialog).getByLabelText(FAST);
    expect(box.getAttribute('aria-describedby')).toBe('approve-fast-path-hint');
    expect(within(dialog).getByText(/不经第二位审核人/)).toBeTruthy();
    tick(dialog);
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await within(dialog).findByText('你编写了这条预警：请勾选应急快速签发，或请其他审核人审核');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toBe('approve-fast-path-hint approve-fast-path-error');
    expect(send).not.toHaveBeenCalled();

    fireEvent.click(box);
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(send.mock.calls[0]?.[0]).toMatchObject({ fastPath: true, attestation: { noStateSecret: true } });
  });

  it('names both the fast path and an unticked attestation item at once', async () => {
    const { dialog } = setup(true);
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await within(dialog).findByText('请确认不含国家秘密');
    expect(within(dialog).getByText('你编写了这条预警：请勾选应急快速签发，或请其他审核人审核')).toBeTruthy();
  });
});

describe('fast path in the review screens', () => {
  it('lets a reviewer approve their own warning alone, and the version history says 快速签发', async () => {
    const server = fakeApi({ user: REVIEWER, notices: [ownWarning()] });
    const { props } = pageProps(server.api, REVIEWER);
    const onChanged = vi.fn();
    render(<ReviewDetail notice={ownWarning()} {...props} onChanged={onChanged} />);
    expect(screen.getByText(/可以“应急快速签发”由你一人签发/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '审核通过并发布' }));
    const dialog = screen.getByRole('dialog', { name: '审核通过并发布' });
    tick(dialog);
    fireEvent.click(within(dialog).getByLabelText(FAST));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认发布' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    const approved = onChanged.mock.calls[0]?.[0] as Notice;
    expect(approved.live?.review?.fastPath).toBe(true);
    cleanup();

    render(<NoticeDetailPage id="w" {...props} />);
    const card = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('li[data-version="1"]');
      if (!found) throw new Error('no version card yet');
      return found;
    });
    expect(within(card).getByText('签发方式')).toBeTruthy();
    expect(within(card).getByText('快速签发（应急，单人审核）')).toBeTruthy();
  });

  it('keeps the four-eyes rule for a reviewer’s own ordinary notice: no approve button', () => {
    const own = noticeOf([
      version({ id: 'o-v1', noticeId: 'o', state: 'pending_review', editors: [REVIEWER.id], submittedBy: REVIEWER.id, content: content() }),
    ]);
    const server = fakeApi({ user: REVIEWER, notices: [own] });
    const { props } = pageProps(server.api, REVIEWER);
    render(<ReviewDetail notice={own} {...props} onChanged={vi.fn()} />);
    expect(screen.queryByRole('button', { name: '审核通过并发布' })).toBeNull();
    expect(screen.getByText(/按“四眼原则”须由其他审核人审核/)).toBeTruthy();
  });
});

describe('EmergencyAckPanel (确认接收)', () => {
  const view = (acknowledgedAt: number | null): EmergencyAckView => ({
    noticeId: 'w',
    contentHash: 'c'.repeat(64),
    devices: [
      { deviceId: 'k2', name: '张堂村村委会触摸屏', villageId: 'v2', online: true, acknowledgedAt },
      { deviceId: 'k3', name: '彪角村卫生室触摸屏', villageId: 'v1', online: false, acknowledgedAt: null },
    ],
  });

  it('lists every targeted kiosk with its acknowledgement or 未确认, and polls while open', async () => {
    vi.useFakeTimers();
    const answers = [view(null), view(Date.UTC(2026, 10, 26, 1, 5, 7))];
    const emergencyAcks = vi.fn((_id: string) => Promise.resolve<Ack<EmergencyAckView>>({ ok: true, data: answers[0]! }));
    const devices = [device({ id: 'k2' }), device({ id: 'k3', online: false })];
    render(<EmergencyAckPanel api={{ emergencyAcks }} noticeId="w" devices={devices} villages={TOWN.villages} />);
    const panel = await screen.findByRole('region', { name: '确认接收' });
    await within(panel).findByText('已确认 0 / 2 台');
    const row = (id: string): HTMLElement => panel.querySelector<HTMLElement>(`tr[data-device-id="${id}"]`)!;
    expect(within(row('k2')).getByText('未确认')).toBeTruthy();
    expect(within(row('k2')).getByText('在线')).toBeTruthy();
    expect(within(row('k3')).getByText('离线')).toBeTruthy();
    expect(within(row('k3')).getByText('彪角村')).toBeTruthy();

    emergencyAcks.mockImplementation(() => Promise.resolve({ ok: true, data: answers[1]! }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    await within(panel).findByText('已确认 1 / 2 台');
    expect(within(row('k2')).getByText('2026-11-26 09:05:07')).toBeTruthy();
    expect(row('k2').getAttribute('data-acknowledged')).toBe('true');
    expect(within(row('k3')).getByText('未确认')).toBeTruthy();
    expect(emergencyAcks).toHaveBeenCalledWith('w');
    const calls = emergencyAcks.mock.calls.length;
    cleanup();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(emergencyAcks.mock.calls.length).toBe(calls);
  });

  it('refreshes when a device changes, taking the pushed online state', async () => {
    const emergencyAcks = vi.fn((_id: string) => Promise.resolve<Ack<EmergencyAckView>>({ ok: true, data: view(null) }));
    const { rerender } = render(
      <EmergencyAckPanel
        api={{ emergencyAcks }}
        noticeId="w"
        devices={[device({ id: 'k3', online: false })]}
        villages={TOWN.villages}
        refreshMs={60_000}
      />,
    );
    const panel = await screen.findByRole('region', { name: '确认接收' });
    await within(panel).findByText('已确认 0 / 2 台');
    expect(emergencyAcks).toHaveBeenCalledTimes(1);
    rerender(
      <EmergencyAckPanel
        api={{ emergencyAcks }}
        noticeId="w"
        devices={[device({ id: 'k3', online: true })]}
        villages={TOWN.villages}
        refreshMs={60_000}
      />,
    );
    await waitFor(() => expect(emergencyAcks).toHaveBeenCalledTimes(2));
    expect(within(panel.querySelector<HTMLElement>('tr[data-device-id="k3"]')!).getByText('在线')).toBeTruthy();
  });

  it('disappears and stops asking once the warning is no longer live', async () => {
    vi.useFakeTimers();
    const emergencyAcks = vi.fn((_id: string) => Promise.resolve<Ack<EmergencyAckView>>({ ok: true, data: view(null) }));
    render(<EmergencyAckPanel api={{ emergencyAcks }} noticeId="w" devices={[]} villages={TOWN.villages} />);
    await screen.findByText('已确认 0 / 2 台');
    emergencyAcks.mockImplementation(() => Promise.resolve({ ok: false, error: 'not_found', message: 'no live emergency warning' }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(screen.queryByRole('region', { name: '确认接收' })).toBeNull();
    const calls = emergencyAcks.mock.calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(emergencyAcks.mock.calls.length).toBe(calls);
  });

  it('shows nothing when there is no live warning, and says so when the controller cannot be reached', async () => {
    const gone = vi.fn(() =>
      Promise.resolve<Ack<EmergencyAckView>>({ ok: false, error: 'not_found', message: 'no live emergency warning' }),
    );
    render(<EmergencyAckPanel api={{ emergencyAcks: gone }} noticeId="w" devices={[]} villages={TOWN.villages} />);
    await waitFor(() => expect(gone).toHaveBeenCalled());
    expect(screen.queryByRole('region', { name: '确认接收' })).toBeNull();
    cleanup();
    const down = vi.fn(() => Promise.resolve<Ack<EmergencyAckView>>({ ok: false, error: 'unavailable', message: 'cannot reach' }));
    render(<EmergencyAckPanel api={{ emergencyAcks: down }} noticeId="w" devices={[]} villages={TOWN.villages} />);
    await screen.findByText('暂时无法读取确认情况，正在重试。');
  });

  it('appears on the page of a live emergency notice only', async () => {
    const live = noticeOf([version({ id: 'w-v1', noticeId: 'w', state: 'approved', content: warning })]);
    const server = fakeApi({ notices: [live, noticeOf([version({ id: 'r-v1', noticeId: 'r', state: 'approved' })])] });
    server.api.emergencyAcks = () => Promise.resolve({ ok: true, data: view(null) });
    const { props } = pageProps(server.api);
    render(<NoticeDetailPage id="w" {...props} />);
    await screen.findByRole('region', { name: '确认接收' });
    cleanup();
    render(<NoticeDetailPage id="r" {...props} />);
    await screen.findByRole('heading', { name: '冬季森林防火和安全用火提示', level: 1 });
    expect(screen.queryByRole('region', { name: '确认接收' })).toBeNull();
  });
});
