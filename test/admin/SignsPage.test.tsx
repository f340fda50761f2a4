import { type Ack, type SignFrameView, type SignView, ok } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignsApi } from '../../admin/lib/signsApi';
import { SignsPage } from '../../admin/pages/signs/SignsPage';
import { EDITOR, fakeApi, pageProps } from './fakes';

afterEach(cleanup);

const SIGN: SignView = {
  id: 'demo-sign-2',
  name: '张堂村村委会门头屏',
  villageId: 'v2',
  protocol: 'bx5k',
  address: 1,
  portPath: 'emulated:demo-sign-2',
  baudRate: 57600,
  widthPx: 16,
  heightPx: 16,
  charset: 'gb2312',
  emulated: true,
  link: 'up',
  reachable: true,
  lastAckAt: 1_795_000_000_000,
  showing: { key: 'h', text: '停水通知', proof: 'acknowledged', since: 0 },
  power: true,
  brightness: 15,
  counters: { framesSent: 9, acks: 8, nacks: 1, timeouts: 2, retries: 3, busy: 0, reconnects: 1, restores: 2 },
  lastError: null,
  refused: [{ key: 'x', chars: ['喆'] }],
};

/** A signs API that remembers the calls and answers like the controller. */
function signsApi(): SignsApi & { calls: string[] } {
  const calls: string[] = [];
  let sign = SIGN;
  const frame: SignFrameView = {
    width: 16,
    height: 16,
    rows: Array.from({ length: 16 }, (_, y) => (y === 8 ? '1'.repeat(16) : '0'.repeat(16))),
    text: ['一'],
    source: 'emulator',
  };
  const answer = (name: string, change: Partial<SignView> = {}): Promise<Ack<SignView>> => {
    calls.push(name);
    sign = { ...sign, ...change };
    return Promise.resolve(ok(sign));
  };
  return {
    calls,
    list: () => Promise.resolve(ok([sign])),
    frame: () => Promise.resolve(ok(frame)),
    testPattern: () => answer('test-pattern'),
    brightness: (_id, level) => answer(`brightness ${level}`, { brightness: level }),
    power: (_id, on) => answer(`power ${on}`, { power: on }),
    clear: () => answer('clear', { showing: null }),
    resend: () => answer('resend'),
  };
}

describe('SignsPage', () => {
  it('shows link state, last ACK, what the sign shows, error counts and missing characters, in words', async () => {
    const { props } = pageProps(fakeApi().api);
    render(<SignsPage data={props.data} user={props.user} signs={signsApi()} />);
    await screen.findByText(/张堂村村委会门头屏/);
    expect(screen.getByText(/已连接/)).toBeTruthy();
    expect(screen.getByText('停水通知 (屏已确认)')).toBeTruthy();
    expect(screen.getByText('3 次出错，3 次重发，1 次重连')).toBeTruthy();
    expect(screen.getByText('喆')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('img', { name: /张堂村村委会门头屏正在显示: 一/ })).toBeTruthy(), { timeout: 3000 });
  });

  it('gives admins the buttons and sends what they press', async () => {
    const api = signsApi();
    const { props } = pageProps(fakeApi().api);
    render(<SignsPage data={props.data} user={props.user} signs={api} />);
    fireEvent.click(await screen.findByRole('button', { name: '测试图案' }));
    await screen.findByText('张堂村村委会门头屏：测试图案完成');
    fireEvent.input(screen.getByRole('spinbutton', { name: '亮度' }), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: '设亮度' }));
    fireEvent.click(screen.getByRole('button', { name: '关屏' }));
    await screen.findByRole('button', { name: '开屏' });
    fireEvent.click(screen.getByRole('button', { name: '清屏' }));
    await screen.findByText('（空白）');
    expect(api.calls).toEqual(['test-pattern', 'brightness 4', 'power false', 'clear']);
  });

  it('shows no buttons to an editor', async () => {
    const { props } = pageProps(fakeApi().api, EDITOR);
    render(<SignsPage data={props.data} user={props.user} signs={signsApi()} />);
    await screen.findByText(/张堂村村委会门头屏/);
    expect(screen.queryByRole('button', { name: '清屏' })).toBeNull();
  });
});
