import type { Ack, StaffUser } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginForm } from '../../admin/components/LoginForm';
import { ADMIN } from './fakes';

afterEach(cleanup);

function fill(username: string, password: string): void {
  fireEvent.input(screen.getByLabelText('用户名'), { target: { value: username } });
  fireEvent.input(screen.getByLabelText('密码'), { target: { value: password } });
}

describe('LoginForm', () => {
  it('signs in with what was typed', async () => {
    const login = vi.fn((): Promise<Ack<StaffUser>> => Promise.resolve({ ok: true, data: ADMIN }));
    const onSignedIn = vi.fn();
    render(<LoginForm login={login} onSignedIn={onSignedIn} />);
    fill('admin', 'secret');
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(ADMIN));
    expect(login).toHaveBeenCalledWith({ username: 'admin', password: 'secret' });
  });

  it('says the user name or password is wrong, in Chinese', async () => {
    const onSignedIn = vi.fn();
    render(
      <LoginForm
        login={() => Promise.resolve({ ok: false, error: 'unauthorized', message: 'wrong user name or password (用户名或密码错误)' })}
        onSignedIn={onSignedIn}
      />,
    );
    fill('admin', 'nope');
    fireEvent.submit(screen.getByRole('button', { name: '登录' }).closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('用户名或密码错误。');
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('puts field errors under their fields', async () => {
    render(
      <LoginForm
        login={() =>
          Promise.resolve({
            ok: false,
            error: 'invalid_payload',
            message: 'username: enter a user name',
            fields: { username: 'enter a user name' },
          })
        }
        onSignedIn={vi.fn()}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByText('请输入用户名');
    const username = screen.getByLabelText('用户名');
    expect(username.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(username.getAttribute('aria-describedby') ?? '')?.textContent).toBe('请输入用户名');
    expect(screen.getByLabelText('密码').getAttribute('aria-describedby')).toBeNull();
  });

  it('shows how long to wait after too many failures and counts down before allowing another try', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const login = vi.fn((): Promise<Ack<StaffUser>> =>
        Promise.resolve({ ok: false, error: 'rate_limited', message: 'too many failed sign-ins', retryAfterSec: 2 } as Ack<StaffUser>),
      );
      render(<LoginForm login={login} onSignedIn={vi.fn()} />);
      fill('admin', 'nope');
      fireEvent.click(screen.getByRole('button', { name: '登录' }));
      expect((await screen.findByRole('alert')).textContent).toBe('此地址登录失败次数过多，请在 2 秒后再试，或换用曾在此登录过的浏览器。');
      const button = screen.getByRole('button', { name: /登录/ });
      expect(button.hasAttribute('disabled')).toBe(true);
      await vi.advanceTimersByTimeAsync(2_100);
      await waitFor(() => expect(button.hasAttribute('disabled')).toBe(false));
    } finally {
      vi.useRealTimers();
    }
  });
});
