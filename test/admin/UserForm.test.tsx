import type { Ack, CreateUserRequest, StaffUser } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserForm } from '../../admin/pages/users/UserForm';
import { TOWN, staffUser } from './fakes';

afterEach(cleanup);

function setup(answer?: Ack<StaffUser>) {
  const create = vi.fn((body: CreateUserRequest) =>
    Promise.resolve(answer ?? { ok: true as const, data: staffUser({ username: body.username }) }),
  );
  const onCreated = vi.fn();
  render(<UserForm villages={TOWN.villages} create={create} onCreated={onCreated} />);
  return { create, onCreated };
}

const type = (label: string, value: string): void => {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
};
const hint = (): string => document.getElementById('new-password-hint')?.textContent ?? '';

describe('UserForm', () => {
  it('judges the password while typing, with the controller’s own rule', () => {
    setup();
    expect(hint()).toBe('至少 8 位，不能过于常见，不能包含用户名。');
    type('初始密码', 'abc');
    expect(hint()).toContain('至少8位');
    type('初始密码', 'password123!');
    expect(hint()).toContain('密码过于常见');
    type('用户名', 'zhangsan');
    type('初始密码', 'zhangsan-2026!');
    expect(hint()).toContain('密码不能包含用户名');
    type('初始密码', 'Qiuyue-2026-huanghe');
    expect(hint()).toBe('✓ 密码强度合格。');
  });

  it('creates a village editor with the ticked roles and villages', async () => {
    const { create, onCreated } = setup();
    type('用户名', 'zhangsan');
    type('姓名', '张三');
    fireEvent.click(screen.getByLabelText('张堂村'));
    type('初始密码', 'Qiuyue-2026-huanghe');
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledOnce());
    expect(create).toHaveBeenCalledWith({
      username: 'zhangsan',
      displayName: '张三',
      roles: ['editor'],
      villageIds: ['v2'],
      password: 'Qiuyue-2026-huanghe',
    });
  });

  it('refuses a weak password, no role or a bad user name next to the field, without sending', async () => {
    const { create } = setup();
    type('用户名', 'Zhang San');
    type('姓名', '张三');
    fireEvent.click(screen.getByLabelText('拟稿人'));
    type('初始密码', '12345678');
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    await screen.findByText('请至少选择一个角色');
    expect(screen.getByText('3–32位小写字母或数字')).toBeTruthy();
    expect(document.getElementById('new-password-error')?.textContent).toContain('密码过于常见');
    expect(screen.getByLabelText('初始密码').getAttribute('aria-invalid')).toBe('true');
    expect(create).not.toHaveBeenCalled();
  });

  it('shows the controller’s refusal of a taken user name under the field', async () => {
    setup({
      ok: false,
      error: 'conflict',
      message: 'the user name zhangsan is taken',
      fields: { username: 'already taken (用户名已存在)' },
    });
    type('用户名', 'zhangsan');
    type('姓名', '张三');
    type('初始密码', 'Qiuyue-2026-huanghe');
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    expect((await screen.findByText('用户名已存在')).id).toBe('new-username-error');
  });
});
