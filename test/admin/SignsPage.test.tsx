import { type Ack, type SignFrameView, type SignProfile, type SignView, ok, parseSignProfile } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignsApi, SignsLiveHandlers } from '../../admin/lib/signsApi';
import { SignsPage } from '../../admin/pages/signs/SignsPage';
import { EDITOR, fakeApi, pageProps } from './fakes';

afterEach(cleanup);

const SIGN: SignView = {
  id: 'demo-sign-2',
  name: '张堂村村委会门头屏',
  villageId: 'v2',
  protocol: 'bx5k',
  nodeId: null,
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
  pending: null,
  power: true,
  brightness: 15,
  counters: { framesSent: 9, acks: 8, nacks: 1, timeouts: 2, retries: 3, busy: 0, reconnects: 1, restores: 2 },
  lastError: null,
  refused: [{ key: 'x', chars: ['喆'] }],
};

const PROFILE: SignProfile = parseSignProfile({
  id: 'demo-sign-2',
  name: '张堂村村委会门头屏',
  villageId: 'v2',
  protocol: 'bx5k',
  port: { path: '/dev/ttyUSB0', baudRate: 57600 },
  address: 1,
  widthPx: 16,
  heightPx: 16,
  charset: 'gb2312',
});

/** A signs API that remembers the calls and answers like the controller; `live` pushes as the /admin socket would. */
function signsApi(saved: SignProfile[] = []): SignsApi & { calls: string[]; live: SignsLiveHandlers[] } {
  const calls: string[] = [];
  const live: SignsLiveHandlers[] = [];
  let sign = SIGN;
  let profiles = saved;
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
    live,
    list: () => Promise.resolve(ok([sign])),
    watch: (handlers) => {
      live.push(handlers);
      queueMicrotask(() => handlers.snapshot({ signs: [sign], frames: { [sign.id]: frame } }));
      return () => {
        live.splice(live.indexOf(handlers), 1);
      };
    },
    checkText: () => Promise.resolve(ok([])),
    testPattern: () => answer('test-pattern'),
    brightness: (_id, level) => answer(`brightness ${level}`, { brightness: level }),
    power: (_id, on) => answer(`power ${on}`, { power: on }),
    clear: () => answer('clear', { showing: null }),
    resend: () => answer('resend'),
    profiles: () => Promise.resolve(ok(profiles)),
    create: (body) => (calls.push(`create ${String(body.id)}`), Promise.resolve(ok(parseSignProfile(body)))),
    saveProfile: (id, body) => (calls.push(`save ${id} ${body.port.baudRate}`), Promise.resolve(ok(parseSignProfile(body)))),
    remove: (id) => {
      calls.push(`remove ${id}`);
      profiles = profiles.filter((p) => p.id !== id);
      return Promise.resolve(ok({ id }));
    },
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

  it('describes a sign’s hardware in words: the card by its model, how it is reached, its number and size', async () => {
    const { props } = pageProps(fakeApi().api);
    const api = signsApi();
    render(<SignsPage data={props.data} user={props.user} signs={api} />);
    expect(await screen.findByText('演示用模拟屏（BX-5K 控制卡），16×16 点，GB2312 字库')).toBeTruthy();
    expect(screen.queryByText(/emulated:demo-sign-2|@57600/)).toBeNull();
    api.live[0]!.status({ ...SIGN, emulated: false, portPath: '/dev/ttyUSB0', baudRate: 9600, address: 3 });
    expect(await screen.findByText('BX-5K 控制卡，接在串口 /dev/ttyUSB0（9600 波特），屏号 3，16×16 点，GB2312 字库')).toBeTruthy();
    api.live[0]!.status({ ...SIGN, emulated: false, protocol: 'eq2023', portPath: 'tcp://192.168.1.20:5005', address: 0 });
    expect(await screen.findByText('EQ2023 控制卡，经网络连接 192.168.1.20:5005，屏号 0，16×16 点，GB2312 字库')).toBeTruthy();
  });

  it('follows pushes, not polls: a new frame, a link going down, a removed sign; stops listening when closed', async () => {
    const api = signsApi();
    const { props } = pageProps(fakeApi().api);
    const { unmount } = render(<SignsPage data={props.data} user={props.user} signs={api} />);
    await screen.findByRole('img', { name: /张堂村村委会门头屏正在显示: 一/ });
    expect(api.live).toHaveLength(1);
    const push = api.live[0]!;
    push.frame(SIGN.id, {
      width: 16,
      height: 16,
      rows: Array.from({ length: 16 }, () => '1'.repeat(16)),
      text: ['二'],
      source: 'emulator',
    });
    await screen.findByRole('img', { name: /正在显示: 二/ });
    push.status({ ...SIGN, link: 'down', showing: null });
    await screen.findByText(/连接中断/);
    expect(screen.getByText('（空白）')).toBeTruthy();
    // A clear the silent sign never acknowledged: what it last acknowledged, with the clear marked pending.
    push.status({ ...SIGN, reachable: false, pending: { change: 'clear', since: 1 } });
    await screen.findByText(/清屏尚未得到屏的确认/);
    expect(screen.getByText(/停水通知 \(屏已确认\)/)).toBeTruthy();
    push.offline();
    await screen.findByText(/实时连接已断开/);
    push.removed(SIGN.id);
    await screen.findByText('还没有 LED 屏。');
    unmount();
    await waitFor(() => expect(api.live).toHaveLength(0)); // Preact runs effect cleanups after paint
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
    expect(screen.queryByRole('button', { name: '添加LED屏' })).toBeNull();
    expect(screen.queryByRole('button', { name: '编辑配置' })).toBeNull();
  });

  it('lets admins add a sign, but offers no edit or delete for a demo sign without a saved profile', async () => {
    const { props } = pageProps(fakeApi().api);
    render(<SignsPage data={props.data} user={props.user} signs={signsApi()} />);
    await screen.findByText(/张堂村村委会门头屏/);
    expect(screen.queryByRole('button', { name: '编辑配置' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '添加LED屏' }));
    expect(await screen.findByRole('dialog', { name: '添加LED屏' })).toBeTruthy();
  });

  it('edits a saved profile and deletes a sign only after confirmation', async () => {
    const api = signsApi([PROFILE]);
    const { props } = pageProps(fakeApi().api);
    render(<SignsPage data={props.data} user={props.user} signs={api} />);
    fireEvent.click(await screen.findByRole('button', { name: '编辑配置' }));
    const dialog = await screen.findByRole('dialog', { name: '编辑配置：张堂村村委会门头屏' });
    expect(screen.getByLabelText<HTMLInputElement>('编号').disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('波特率'), { target: { value: '9600' } });
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await screen.findByText('张堂村村委会门头屏的配置已保存');
    expect(dialog.isConnected).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: '删除' }));
    await screen.findByRole('dialog', { name: '删除LED屏：张堂村村委会门头屏' });
    expect(api.calls).not.toContain('remove demo-sign-2');
    fireEvent.click(screen.getByRole('button', { name: '确认删除' }));
    await screen.findByText('张堂村村委会门头屏已删除');
    expect(api.calls).toEqual(['save demo-sign-2 9600', 'remove demo-sign-2']);
  });
});
