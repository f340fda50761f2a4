import { type Ack, type SignView, type UpdateDeviceRequest, ok } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceView } from '../../admin/lib/api';
import type { SignsApi, SignsLiveHandlers } from '../../admin/lib/signsApi';
import { DevicesPage } from '../../admin/pages/devices/DevicesPage';
import { DeviceTable } from '../../admin/pages/devices/DeviceTable';
import { EditDeviceDialog } from '../../admin/pages/devices/EditDeviceDialog';
import { SoundAlert } from '../../admin/pages/devices/KioskSetupAlerts';
import { RevokeDialog } from '../../admin/pages/devices/RevokeDialog';
import { EDITOR, TOWN, device, fakeApi, pageProps } from './fakes';

afterEach(cleanup);

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`tr[data-device-id="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

const STATUS = { build: '20261126-abc', showing: null, clockOffsetMs: 0, queued: 0, quarantined: 0, heartbeatAt: 5_000 };

/** A sign behind village node n1, as the signs' live view reports it. */
const nodeSign = (over: Partial<SignView>): SignView => ({
  id: 's1',
  name: '宋营村门头屏',
  villageId: 'v2',
  protocol: 'bx5k',
  nodeId: 'n1',
  address: 1,
  portPath: '/dev/serial/by-id/usb-1',
  baudRate: 9600,
  widthPx: 192,
  heightPx: 32,
  charset: 'gb2312',
  emulated: false,
  link: 'up',
  reachable: true,
  lastAckAt: 1,
  showing: { key: 'k', text: '道路硬化公示', proof: 'acknowledged', since: 1 },
  pending: null,
  power: true,
  brightness: 15,
  counters: { framesSent: 0, acks: 0, nacks: 0, timeouts: 0, retries: 0, busy: 0, reconnects: 0, restores: 0 },
  lastError: null,
  refused: [],
  ...over,
});

describe('DeviceTable', () => {
  it('shows each device’s place, state in words, build, what it shows, clock and receipts', () => {
    render(
      <DeviceTable
        villages={TOWN.villages}
        devices={[
          device({
            status: { ...STATUS, showing: { noticeId: 'n1', contentHash: 'c'.repeat(64), title: '张堂村低保公示' }, queued: 3 },
          }),
          device({ id: 'k3', name: '彪角村村委会', villageId: 'v1', location: '', online: false, status: null }),
        ]}
      />,
    );
    const first = within(row('k2'));
    expect(first.getByText('张堂村')).toBeTruthy();
    expect(first.getByText('村委会大门东侧')).toBeTruthy();
    expect(first.getByText('在线')).toBeTruthy();
    expect(first.getByText('20261126-abc')).toBeTruthy();
    expect(first.getByText('张堂村低保公示')).toBeTruthy();
    expect(first.getByText('准确')).toBeTruthy();
    expect(first.getByText('待发送 3')).toBeTruthy();
    const second = within(row('k3'));
    expect(second.getByText('离线')).toBeTruthy();
    expect(second.getByText('暂无心跳')).toBeTruthy();
    expect(row('k3').querySelector('[data-online="false"]')).toBeTruthy();
  });

  it('flags a kiosk that cannot sound the warning chime, and says what to set', () => {
    const devices = [
      device({ id: 'quiet', name: '宋营村触摸屏', status: { ...STATUS, sound: 'blocked' } }),
      device({ id: 'mute', name: '苏湾村触摸屏', status: { ...STATUS, sound: 'none' } }),
      device({ id: 'loud', status: { ...STATUS, sound: 'ok' } }),
      device({ id: 'old', status: STATUS }),
    ];
    render(<DeviceTable villages={TOWN.villages} devices={devices} />);
    expect(within(row('quiet')).getByText(/无法播放预警提示音/)).toBeTruthy();
    expect(within(row('mute')).getByText(/没有声音设备/)).toBeTruthy();
    expect(row('loud').querySelector('[data-sound]')).toBeNull();
    expect(row('old').querySelector('[data-sound]')).toBeNull();
    cleanup();
    render(<SoundAlert devices={devices} />);
    const alert = screen.getByRole('region', { name: /2 台触摸屏无法播放预警提示音/ });
    expect(within(alert).getByText(/宋营村触摸屏.*--autoplay-policy=no-user-gesture-required/)).toBeTruthy();
    expect(within(alert).getByText(/苏湾村触摸屏.*音箱/)).toBeTruthy();
  });

  it('flags a clock more than 2 minutes off, and not one within', () => {
    render(
      <DeviceTable
        villages={TOWN.villages}
        devices={[
          device({ id: 'fast', status: { ...STATUS, clockOffsetMs: 5 * 60_000 + 12_000 } }),
          device({ id: 'slow', status: { ...STATUS, clockOffsetMs: -90_000 } }),
        ]}
      />,
    );
    expect(within(row('fast')).getByText('快 5 分 12 秒')).toBeTruthy();
    expect(within(row('fast')).getByText(/时钟不准/)).toBeTruthy();
    expect(row('fast').querySelector('[data-clock-flag="true"]')).toBeTruthy();
    expect(within(row('slow')).getByText('慢 1 分 30 秒')).toBeTruthy();
    expect(within(row('slow')).queryByText(/时钟不准/)).toBeNull();
  });

  it('flags missing receipts (a gap) and quarantined ones', () => {
    render(
      <DeviceTable villages={TOWN.villages} devices={[device({ missingReceipts: 2, status: { ...STATUS, queued: 1, quarantined: 4 } })]} />,
    );
    expect(within(row('k2')).getByText(/缺号 2 条/)).toBeTruthy();
    expect(row('k2').querySelector('[data-gap="2"]')).toBeTruthy();
    expect(within(row('k2')).getByText('已隔离 4')).toBeTruthy();
  });

  it('lists revoked devices last, marked, without actions; demo kiosks cannot be revoked', () => {
    const onEdit = vi.fn();
    const onRevoke = vi.fn();
    render(
      <DeviceTable
        villages={TOWN.villages}
        devices={[
          device({ id: 'gone', name: '旧屏', revokedAt: Date.UTC(2026, 10, 20, 2) }),
          device(),
          device({ id: 'demo', name: '演示屏', demo: true }),
        ]}
        onEdit={onEdit}
        onRevoke={onRevoke}
      />,
    );
    const ids = [...document.querySelectorAll('tr[data-device-id]')].map((r) => r.getAttribute('data-device-id'));
    expect(ids).toEqual(['k2', 'demo', 'gone']);
    expect(within(row('gone')).getByText('已吊销')).toBeTruthy();
    expect(within(row('gone')).getByText(/吊销于 2026-11-20/)).toBeTruthy();
    expect(within(row('gone')).queryByRole('button')).toBeNull();
    expect(within(row('demo')).queryByRole('button', { name: '吊销 演示屏' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '吊销 张堂村村委会触摸屏' }));
    expect(onRevoke).toHaveBeenCalledWith(expect.objectContaining({ id: 'k2' }));
    fireEvent.click(screen.getByRole('button', { name: '编辑 演示屏' }));
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ id: 'demo' }));
  });
});

describe('DevicesPage', () => {
  it('warns of devices offline longer than the configured time, naming them', async () => {
    const { api } = fakeApi();
    api.settings = () => Promise.resolve({ ok: true, data: { holidayOverrides: { holidays: [], workdays: [] }, offlineAlertMinutes: 45 } });
    const { props } = pageProps(api);
    props.data.devices = [
      device({ id: 'late', name: '宋营村触摸屏', villageId: 'v1', online: false, offlineAlert: true, lastSeenAt: null }),
      device(),
    ];
    render(<DevicesPage {...props} />);
    const alert = await screen.findByRole('region', { name: /1 台设备离线超过 45 分钟/ });
    expect(within(alert).getByText('宋营村触摸屏（彪角村）最后在线：从未连接')).toBeTruthy();
  });

  it('pairs a kiosk by its code, with the controller’s refusal next to the code box', async () => {
    const { api, calls } = fakeApi();
    const { props } = pageProps(api);
    const reloaded = vi.fn(() => Promise.resolve());
    props.data.reloadDevices = reloaded;
    render(<DevicesPage {...props} />);
    fireEvent.click(screen.getByRole('button', { name: '配对新触摸屏' }));
    const dialog = screen.getByRole('dialog', { name: '配对新触摸屏' });

    // Nothing filled in: every field says what it needs, and nothing is sent.
    fireEvent.click(within(dialog).getByRole('button', { name: '配对' }));
    await within(dialog).findByText('配对码是触摸屏或村级节点显示的 6 位数字');
    expect(within(dialog).getByText('请输入设备名称')).toBeTruthy();
    expect(within(dialog).getByText('请选择村', { selector: '.field-error' })).toBeTruthy();
    expect(within(dialog).getByLabelText('配对码').getAttribute('aria-describedby')).toBe('pair-code-hint pair-code-error');
    expect(calls.some((c) => c.startsWith('pairDevice'))).toBe(false);

    fireEvent.input(within(dialog).getByLabelText('配对码'), { target: { value: '654321' } });
    fireEvent.input(within(dialog).getByLabelText('设备名称'), { target: { value: '张堂村二号屏' } });
    fireEvent.change(within(dialog).getByLabelText('所属村'), { target: { value: 'v2' } });
    fireEvent.input(within(dialog).getByLabelText('安放位置'), { target: { value: '卫生室门口' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '配对' }));
    await within(dialog).findByText('没有触摸屏显示这个配对码。请核对数字，或刷新触摸屏获取新码');
    expect(within(dialog).getByLabelText('配对码').getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).queryByText('请输入设备名称')).toBeNull();

    const reloadsBefore = reloaded.mock.calls.length;
    fireEvent.input(within(dialog).getByLabelText('配对码'), { target: { value: '123 456' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '配对' }));
    await screen.findByText('已配对 张堂村二号屏。触摸屏将在几秒内自动连接。');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls).toContain(
      `pairDevice ${JSON.stringify({ code: '123456', name: '张堂村二号屏', villageId: 'v2', location: '卫生室门口', kind: 'kiosk' })}`,
    );
    expect(reloaded.mock.calls.length).toBeGreaterThan(reloadsBefore);
  });

  it('saves the device settings, refusing impossible values next to their boxes', async () => {
    const { api, calls } = fakeApi();
    const { props } = pageProps(api);
    render(<DevicesPage {...props} />);
    const form = screen.getByRole('form', { name: '设备设置' });
    await waitFor(() => expect(within(form).getByLabelText<HTMLInputElement>('离线提醒（分钟）').value).toBe('30'));
    fireEvent.input(within(form).getByLabelText('离线提醒（分钟）'), { target: { value: '2' } });
    fireEvent.input(within(form).getByLabelText('每条公告最短展示（秒）'), { target: { value: '60' } });
    fireEvent.input(within(form).getByLabelText('每条公告最长展示（秒）'), { target: { value: '20' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存设置' }));
    await within(form).findByText('至少 5 分钟');
    expect(within(form).getByText('最短时间不能超过最长时间')).toBeTruthy();
    fireEvent.input(within(form).getByLabelText('离线提醒（分钟）'), { target: { value: '1.5' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存设置' }));
    await within(form).findByText('请输入整数');
    fireEvent.input(within(form).getByLabelText('离线提醒（分钟）'), { target: { value: '60' } });
    fireEvent.input(within(form).getByLabelText('每条公告最长展示（秒）'), { target: { value: '90' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存设置' }));
    await within(form).findByText('设备设置已保存。');
    expect(calls).toContain(`saveDeviceSettings ${JSON.stringify({ offlineAlertMinutes: 60, rotationBoundsSec: { min: 60, max: 90 } })}`);
  });

  it('saves how long a warning holds the kiosks’ whole screen per level, refusing impossible values next to their boxes', async () => {
    const { api, calls } = fakeApi();
    const { props } = pageProps(api);
    render(<DevicesPage {...props} />);
    const form = screen.getByRole('form', { name: '预警显示' });
    const box = (label: string) => within(form).getByLabelText<HTMLInputElement>(label);
    await waitFor(() => expect(box('红色预警（一级） 整屏显示（分钟）').value).toBe('10'));
    expect(box('蓝色预警（四级） 再次整屏间隔（分钟）').value).toBe('60');
    fireEvent.input(box('黄色预警（三级） 整屏显示（分钟）'), { target: { value: '0' } });
    fireEvent.input(box('蓝色预警（四级） 再次整屏间隔（分钟）'), { target: { value: '2.5' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存预警显示设置' }));
    await within(form).findByText('请输入整数');
    fireEvent.input(box('蓝色预警（四级） 再次整屏间隔（分钟）'), { target: { value: '45' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存预警显示设置' }));
    await within(form).findByText('至少 1 分钟');
    expect(box('黄色预警（三级） 整屏显示（分钟）').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.startsWith('saveEmergencySettings'))).toEqual([]);
    fireEvent.input(box('黄色预警（三级） 整屏显示（分钟）'), { target: { value: '5' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存预警显示设置' }));
    await within(form).findByText('预警显示设置已保存。');
    expect(calls).toContain(
      `saveEmergencySettings ${JSON.stringify({
        emergencyTakeover: {
          red: { fullScreenMin: 10, againAfterMin: 15 },
          orange: { fullScreenMin: 10, againAfterMin: 20 },
          yellow: { fullScreenMin: 5, againAfterMin: 30 },
          blue: { fullScreenMin: 3, againAfterMin: 45 },
        },
      })}`,
    );
  });

  it('tells staff when QR codes carry a loopback address, with the exact option to set', async () => {
    const { api } = fakeApi({
      publicUrl: {
        url: 'http://localhost:8080',
        source: 'default',
        loopback: true,
        remoteKiosks: [{ deviceId: 'k2', address: '192.168.1.23' }],
        option: '--public-url http://192.168.1.10:8080',
      },
    });
    const { props } = pageProps(api);
    render(<DevicesPage {...props} />);
    const alert = await screen.findByRole('region', { name: /http:\/\/localhost:8080.*只在控制器本机有效/ });
    expect(within(alert).getByText('--public-url http://192.168.1.10:8080')).toBeTruthy();
    expect(within(alert).getByText(/192\.168\.1\.23/)).toBeTruthy();
  });

  it('says nothing of the public URL when it is set', async () => {
    const { api } = fakeApi();
    const { props } = pageProps(api);
    render(<DevicesPage {...props} />);
    await screen.findByRole('form', { name: '设备设置' });
    await new Promise((r) => setTimeout(r, 20));
    expect(document.querySelector('[data-public-url]')).toBeNull();
  });

  it('offers no pairing, editing or settings to staff who are not admins', () => {
    const { api } = fakeApi({ user: EDITOR });
    const { props } = pageProps(api, EDITOR);
    render(<DevicesPage {...props} />);
    expect(screen.queryByRole('button', { name: '配对新触摸屏' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^编辑/ })).toBeNull();
    expect(screen.queryByRole('form', { name: '设备设置' })).toBeNull();
    expect(screen.getByText('只有管理员可以添加设备。')).toBeTruthy();
  });
});

describe('RevokeDialog', () => {
  it('needs a reason, then revokes with it', async () => {
    const revoke = vi.fn((_reason: string): Promise<Ack<DeviceView>> => Promise.resolve({ ok: true, data: device({ revokedAt: 9_000 }) }));
    const onDone = vi.fn();
    render(<RevokeDialog device={device()} revoke={revoke} onDone={onDone} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: '吊销设备 张堂村村委会触摸屏' });
    expect(within(dialog).getByText(/回到配对界面/)).toBeTruthy();
    const submit = within(dialog).getByRole('button', { name: '确认吊销' });
    expect(submit.className).toContain('danger');
    fireEvent.click(submit);
    await within(dialog).findByText('请填写吊销原因（丢失、更换等）');
    expect(within(dialog).getByLabelText('吊销原因').getAttribute('aria-invalid')).toBe('true');
    expect(revoke).not.toHaveBeenCalled();
    fireEvent.input(within(dialog).getByLabelText('吊销原因'), { target: { value: '  设备丢失 ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(revoke).toHaveBeenCalledWith('设备丢失');
  });
});

describe('EditDeviceDialog and the on-hours editor', () => {
  function setup(start: DeviceView = device()) {
    const update = vi.fn((body: UpdateDeviceRequest): Promise<Ack<DeviceView>> =>
      Promise.resolve({ ok: true, data: { ...start, ...body } }),
    );
    const onDone = vi.fn();
    render(<EditDeviceDialog device={start} villages={TOWN.villages} update={update} onDone={onDone} onClose={vi.fn()} />);
    const dialog = screen.getByRole('dialog', { name: `编辑设备 ${start.name}` });
    return { update, onDone, dialog };
  }
  const type = (dialog: HTMLElement, label: string, value: string): void => {
    fireEvent.input(within(dialog).getByLabelText(label), { target: { value } });
  };

  it('keeps a device always on by sending null hours, with the other fields', async () => {
    const { update, onDone, dialog } = setup();
    expect(within(dialog).getByLabelText<HTMLInputElement>('全天展示').checked).toBe(true);
    type(dialog, '安放位置', '村委会院内');
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(update).toHaveBeenCalledWith({ name: '张堂村村委会触摸屏', villageId: 'v2', location: '村委会院内', onHours: null });
  });

  it('turns the same HH:MM hours every day into minutes for all seven weekdays', async () => {
    const { update, dialog } = setup();
    fireEvent.click(within(dialog).getByLabelText('每天相同'));
    expect(within(dialog).getByLabelText<HTMLInputElement>('每天第 1 段开始').value).toBe('07:00');
    type(dialog, '每天第 1 段开始', '7:30');
    type(dialog, '每天第 1 段结束', '20:00');
    fireEvent.click(within(dialog).getByRole('button', { name: '每天添加时段' }));
    type(dialog, '每天第 2 段开始', '21:00');
    type(dialog, '每天第 2 段结束', '24:00');
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(update).toHaveBeenCalledOnce());
    const weekly = Array.from({ length: 7 }, () => [
      [450, 1200],
      [1260, 1440],
    ]);
    expect(update.mock.calls[0]?.[0].onHours).toEqual({ utcOffsetMinutes: 480, weekly });
  });

  it('shows a bad time, an inverted period and an overlap next to their boxes, and sends nothing', async () => {
    const { update, dialog } = setup();
    fireEvent.click(within(dialog).getByLabelText('按星期设置'));
    type(dialog, '星期一第 1 段开始', '8点');
    type(dialog, '星期三第 1 段结束', '06:00');
    fireEvent.click(within(dialog).getByRole('button', { name: '星期五添加时段' }));
    type(dialog, '星期五第 2 段开始', '20:00');
    type(dialog, '星期五第 2 段结束', '22:00');
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await within(dialog).findByText('请按 HH:MM 填写，如 07:30');
    expect(within(dialog).getByText('结束时间须晚于开始时间')).toBeTruthy();
    expect(within(dialog).getByText('与前面的时段重叠')).toBeTruthy();
    const monday = within(dialog).getByLabelText('星期一第 1 段开始');
    expect(monday.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(monday.getAttribute('aria-describedby') ?? '')?.textContent).toContain('请按 HH:MM 填写');
    expect(within(dialog).getByRole('alert').textContent).toContain('请按提示修改标出的内容。');
    expect(update).not.toHaveBeenCalled();

    // Sunday off all day: remove its only period.
    type(dialog, '星期一第 1 段开始', '08:00');
    type(dialog, '星期三第 1 段结束', '18:00');
    fireEvent.click(within(dialog).getByRole('button', { name: '删除星期五第 2 段' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '删除星期日第 1 段' }));
    expect(within(within(dialog).getByRole('group', { name: '星期日' })).getByText('全天关闭')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(update).toHaveBeenCalledOnce());
    const weekly = update.mock.calls[0]?.[0].onHours?.weekly;
    expect(weekly?.[0]).toEqual([[480, 1260]]);
    expect(weekly?.[2]).toEqual([[420, 1080]]);
    expect(weekly?.[6]).toEqual([]);
  });

  it('opens stored per-weekday hours in the weekly editor', () => {
    const weekly: [number, number][][] = [...Array.from({ length: 6 }, (): [number, number][] => [[480, 1080]]), []];
    const { dialog } = setup(device({ onHours: { utcOffsetMinutes: 480, weekly } }));
    expect(within(dialog).getByLabelText<HTMLInputElement>('按星期设置').checked).toBe(true);
    expect(within(dialog).getByLabelText<HTMLInputElement>('星期六第 1 段结束').value).toBe('18:00');
    expect(within(within(dialog).getByRole('group', { name: '星期日' })).getByText('全天关闭')).toBeTruthy();
  });

  it('shows the controller’s field errors next to the field', async () => {
    const start = device();
    const update = vi.fn((): Promise<Ack<DeviceView>> =>
      Promise.resolve({
        ok: false,
        error: 'invalid_payload',
        message: 'villageId: unknown village v9',
        fields: { villageId: 'unknown village; choose one of the town’s villages' },
      }),
    );
    render(<EditDeviceDialog device={start} villages={TOWN.villages} update={update} onDone={vi.fn()} onClose={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('未知的村，请从列表中选择');
    expect(screen.getByLabelText('所属村').getAttribute('aria-invalid')).toBe('true');
  });

  it('pairs a village node by its code as a 村级节点, not a kiosk', async () => {
    const { api, calls } = fakeApi();
    const { props } = pageProps(api);
    render(<DevicesPage {...props} />);
    fireEvent.click(screen.getByRole('button', { name: '配对村级节点' }));
    const dialog = screen.getByRole('dialog', { name: '配对村级节点' });
    expect(within(dialog).getByLabelText<HTMLInputElement>(/村级节点：/).checked).toBe(true);
    expect(within(dialog).getByText('节点程序打印的 6 位数字')).toBeTruthy();
    fireEvent.input(within(dialog).getByLabelText('配对码'), { target: { value: '777777' } });
    fireEvent.input(within(dialog).getByLabelText('设备名称'), { target: { value: '宋营村节点' } });
    fireEvent.change(within(dialog).getByLabelText('所属村'), { target: { value: 'v2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '配对' }));
    await screen.findByText('已配对 宋营村节点。村级节点将在几秒内连接，并开始驱动挂在它下面的 LED 屏。');
    expect(calls).toContain(
      `pairDevice ${JSON.stringify({ code: '777777', name: '宋营村节点', villageId: 'v2', location: '', kind: 'node' })}`,
    );

    // Staff may switch the kind in the dialog: the kiosk's dialog sends a kiosk.
    fireEvent.click(screen.getByRole('button', { name: '配对村级节点' }));
    const again = screen.getByRole('dialog', { name: '配对村级节点' });
    fireEvent.click(within(again).getByLabelText(/触摸屏：/));
    expect(screen.getByRole('dialog', { name: '配对新触摸屏' })).toBeTruthy();
  });

  it('shows each village node with the signs behind it, their link and what they show, live', async () => {
    const live: SignsLiveHandlers[] = [];
    const signs = {
      watch: (h: SignsLiveHandlers) => {
        live.push(h);
        queueMicrotask(() => h.snapshot({ signs: [nodeSign({}), nodeSign({ id: 'own', name: '镇政府屏', nodeId: null })], frames: {} }));
        return () => undefined;
      },
      list: () => Promise.resolve(ok([])),
    } as unknown as SignsApi;
    const { api } = fakeApi();
    const { props } = pageProps(api);
    const node = device({ id: 'n1', kind: 'node', name: '宋营村节点', status: { ...STATUS, queued: 4, clockOffsetMs: 3_000 } });
    props.data.devices = [node];
    render(<DevicesPage {...props} signs={signs} />);
    const list = await screen.findByRole('list', { name: '所驱动的 LED 屏' });
    expect(within(row('n1')).getByText('村级节点')).toBeTruthy();
    expect(within(row('n1')).queryByText('打开展示页')).toBeNull();
    expect(within(list).getByText('宋营村门头屏：已连接')).toBeTruthy();
    expect(within(list).getByText('道路硬化公示 · 屏已确认')).toBeTruthy();
    expect(within(list).queryByText(/镇政府屏/)).toBeNull();
    expect(within(row('n1')).getByText('待发送 4')).toBeTruthy();
    expect(within(row('n1')).getByText('快 3 秒')).toBeTruthy();
    live[0]?.status(nodeSign({ link: 'down', showing: null }));
    await within(list).findByText('宋营村门头屏：连接中断');
    expect(within(list).getByText('（空白）')).toBeTruthy();
  });

  it('edits a village node without on-hours, listing the signs behind it, and shows its ledger witness alarm', async () => {
    const signs = {
      watch: (h: SignsLiveHandlers) => {
        queueMicrotask(() =>
          h.snapshot({
            signs: [nodeSign({ reachable: false, showing: null })],
            frames: {},
          }),
        );
        return () => undefined;
      },
      list: () => Promise.resolve(ok([])),
    } as unknown as SignsApi;
    const { api, calls } = fakeApi();
    const { props } = pageProps(api);
    const alarm = {
      deviceId: 'n1',
      kind: 'truncated' as const,
      message: '控制器的账本只到第 3 条…',
      at: 1,
      reportedAt: 2,
      held: { seq: 9, headHash: 'a'.repeat(64), fingerprint: 'f1' },
      shown: { seq: 3, headHash: 'b'.repeat(64), fingerprint: 'f1' },
    };
    props.data.devices = [device({ id: 'n1', kind: 'node', name: '宋营村节点', villageId: 'v2', witnessAlarm: alarm })];
    render(<DevicesPage {...props} signs={signs} />);
    const flag = await within(row('n1')).findByText(/账本见证告警：控制器的账本被截短/);
    expect(flag.closest('[data-witness-alarm]')?.getAttribute('data-witness-alarm')).toBe('truncated');
    await within(row('n1')).findByText('宋营村门头屏：屏无应答');

    fireEvent.click(within(row('n1')).getByRole('button', { name: '编辑 宋营村节点' }));
    const dialog = screen.getByRole('dialog', { name: '编辑村级节点 宋营村节点' });
    expect(within(dialog).queryByText('开机时段')).toBeNull();
    const attached = within(dialog).getByRole('region', { name: '挂在这个节点下的 LED 屏' });
    expect(within(attached).getByText('宋营村门头屏（张堂村，/dev/serial/by-id/usb-1） · 屏无应答')).toBeTruthy();
    fireEvent.input(within(dialog).getByLabelText('安放位置'), { target: { value: '村委会机房' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存' }));
    await screen.findByText('已保存 宋营村节点。');
    const update = calls.find((c) => c.startsWith('updateDevice'));
    expect(update).toContain('"location":"村委会机房"');
    expect(update).not.toContain('onHours');
  });
});
