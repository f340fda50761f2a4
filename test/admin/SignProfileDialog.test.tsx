import { type Ack, type SignProfile, type SignProfileInput, fail, ok, parseSignProfile } from '@protocol';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { SignProfileDialog } from '../../admin/pages/signs/SignProfileDialog';
import { TOWN } from './fakes';

afterEach(cleanup);

function recorder(answer?: (body: SignProfileInput) => Ack<SignProfile>) {
  const sent: SignProfileInput[] = [];
  const done: SignProfile[] = [];
  const save = (body: SignProfileInput) => {
    sent.push(body);
    return Promise.resolve(answer ? answer(body) : ok(parseSignProfile(body)));
  };
  return { sent, done, save, onDone: (p: SignProfile) => done.push(p) };
}

const field = (path: string): HTMLElement => document.querySelector(`[data-field="${path}"]`)!;
const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

function fillNew(): void {
  type('编号', 'sign-zhangtang-1');
  type('名称', '张堂村村口屏');
  choose('所属村', 'v2');
  type('端口路径', '/dev/ttyUSB0');
  type('宽（像素）', '192');
  type('高（像素）', '32');
}

describe('SignProfileDialog', () => {
  it('sends every profile field as the controller expects: numbers as numbers, the port nested, on-hours and brightness', async () => {
    const r = recorder();
    render(
      <SignProfileDialog profile={null} villages={TOWN.villages} nodes={[]} save={r.save} onDone={r.onDone} onClose={() => undefined} />,
    );
    fillNew();
    choose('波特率', '57600');
    choose('数据位', '7');
    choose('校验', 'even');
    choose('停止位', '2');
    choose('协议', 'bx6k');
    type('屏地址', '3');
    type('设备类型（BX，0–255）', '97');
    choose('颜色', 'dual');
    choose('字符集', 'gbk');
    choose('A3 06 格式', 'without-area-count');
    choose('X 单位', 'pixels');
    choose('Y 单位', 'bytes');
    choose('排版', 'scroll');
    fireEvent.click(screen.getByLabelText('全天开屏'));
    type('开屏时间', '06:30');
    type('关屏时间', '21:00');
    type('夜间亮度（0–15）', '2');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await screen.findByRole('button', { name: '保存配置' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(r.sent).toEqual([
      {
        id: 'sign-zhangtang-1',
        name: '张堂村村口屏',
        villageId: 'v2',
        protocol: 'bx6k',
        port: { path: '/dev/ttyUSB0', baudRate: 57600, dataBits: 7, parity: 'even', stopBits: 2, hupcl: true, dtr: null },
        address: 3,
        deviceType: 97,
        widthPx: 192,
        heightPx: 32,
        colour: 'dual',
        charset: 'gbk',
        a306Layout: 'without-area-count',
        xUnit: 'pixels',
        yUnit: 'bytes',
        layout: 'scroll',
        onHours: { on: '06:30', off: '21:00' },
        brightness: { day: 15, night: 2, nightFrom: '19:00', nightTo: '06:30' },
        emulated: false,
        node: null,
      },
    ]);
    expect(r.done.map((p) => p.id)).toEqual(['sign-zhangtang-1']);
  });

  it("shows the controller's refusals next to the fields they name", async () => {
    const r = recorder(() =>
      fail('invalid_payload', 'sign profile is invalid', {
        'port.path': 'no such device',
        address: 'BX screen numbers start at 1',
      }),
    );
    render(
      <SignProfileDialog profile={null} villages={TOWN.villages} nodes={[]} save={r.save} onDone={r.onDone} onClose={() => undefined} />,
    );
    fillNew();
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    expect(await within(field('port.path')).findByText('no such device')).toBeTruthy();
    // Known messages are shown in the reader's language.
    expect(within(field('address')).getByText('BX 屏号从 1 开始')).toBeTruthy();
    const path = screen.getByLabelText('端口路径');
    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(path.getAttribute('aria-describedby')).toContain('sign-port-path-error');
    expect(document.getElementById('sign-port-path-error')?.textContent).toBe('no such device');
    expect(within(field('widthPx')).queryByText(/./, { selector: '.field-error' })).toBeNull();
    expect(r.done).toEqual([]);
  });

  it('checks the profile with the shared schema before sending, naming each wrong field', async () => {
    const r = recorder();
    render(
      <SignProfileDialog profile={null} villages={TOWN.villages} nodes={[]} save={r.save} onDone={r.onDone} onClose={() => undefined} />,
    );
    fillNew();
    type('端口路径', 'ttyUSB0');
    type('宽（像素）', '100');
    choose('协议', 'eq2013');
    type('屏地址', '999');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    expect(await within(field('port.path')).findByText('须为绝对设备路径（或 COMn），或 tcp://主机:端口')).toBeTruthy();
    // Cross-field rules run once the fields themselves are right: fix the path and try again.
    type('端口路径', '/dev/ttyUSB0');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    expect(await within(field('address')).findByText('EQ 卡地址为 0–998（999 为广播）')).toBeTruthy();
    expect(within(field('widthPx')).getByText('X 以字节计时，宽度须为 8 的倍数')).toBeTruthy();
    expect(r.sent).toEqual([]);
  });

  it('edits a saved profile with its values filled in and its id fixed', async () => {
    const saved = parseSignProfile({
      id: 'sign-1',
      name: '村口屏',
      villageId: 'v1',
      protocol: 'eq2023',
      port: { path: '/dev/ttyS1', baudRate: 9600, dtr: false },
      address: 12,
      widthPx: 64,
      heightPx: 16,
      charset: 'gb2312',
      onHours: { on: '07:00', off: '20:00' },
    });
    const r = recorder();
    render(
      <SignProfileDialog profile={saved} villages={TOWN.villages} nodes={[]} save={r.save} onDone={r.onDone} onClose={() => undefined} />,
    );
    expect(screen.getByRole('dialog', { name: '编辑配置：村口屏' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('编号').disabled).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>('开屏时间').value).toBe('07:00');
    choose('字符集', 'gbk');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(r.sent).toEqual([{ ...saved, charset: 'gbk' }]);
  });

  it('attaches a sign to a village node or to the controller, and keeps a sign on its node when other fields change', async () => {
    const nodes = [
      { id: 'node-a', name: '张堂村节点', villageId: 'v2', online: true },
      { id: 'node-b', name: '宋营村节点', villageId: 'v1', online: false },
    ];
    const r = recorder();
    render(
      <SignProfileDialog profile={null} villages={TOWN.villages} nodes={nodes} save={r.save} onDone={r.onDone} onClose={() => undefined} />,
    );
    const picker = screen.getByLabelText<HTMLSelectElement>('驱动方式');
    expect([...picker.options].map((o) => o.textContent)).toEqual([
      '镇控制器（本机）',
      `村级节点：张堂村节点（${TOWN.villages.find((v) => v.id === 'v2')?.name}，在线）`,
      `村级节点：宋营村节点（${TOWN.villages.find((v) => v.id === 'v1')?.name}，离线）`,
    ]);
    fillNew();
    choose('驱动方式', 'node-a');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(r.sent.map((b) => b.node)).toEqual(['node-a']);
    cleanup();

    // Editing a sign on a node: the node stays unless staff move it, and moving it back sends null.
    const onNode = parseSignProfile({ ...r.sent[0], node: 'node-b' });
    const edit = recorder();
    render(
      <SignProfileDialog
        profile={onNode}
        villages={TOWN.villages}
        nodes={nodes}
        save={edit.save}
        onDone={edit.onDone}
        onClose={() => undefined}
      />,
    );
    expect(screen.getByLabelText<HTMLSelectElement>('驱动方式').value).toBe('node-b');
    type('名称', '张堂村村口屏（新）');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    choose('驱动方式', '');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(edit.sent.map((b) => b.node)).toEqual(['node-b', null]);
  });

  it("shows the controller's refusal of the node under the picker", async () => {
    const r = recorder(() =>
      fail('invalid_payload', 'node: no village node x (没有这个村级节点)', { node: 'choose a paired village node, or none' }),
    );
    render(
      <SignProfileDialog
        profile={null}
        villages={TOWN.villages}
        nodes={[{ id: 'x', name: '节点', villageId: 'v1', online: true }]}
        save={r.save}
        onDone={r.onDone}
        onClose={() => undefined}
      />,
    );
    fillNew();
    choose('驱动方式', 'x');
    fireEvent.click(screen.getByRole('button', { name: '保存配置' }));
    expect(await within(field('node')).findByText('请选择已配对的村级节点，或选镇控制器本机')).toBeTruthy();
    expect(screen.getByLabelText('驱动方式').getAttribute('aria-invalid')).toBe('true');
    expect(r.done).toEqual([]);
  });
});
