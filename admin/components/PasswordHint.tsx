import { passwordProblem } from '@protocol';
import { fieldMessage, useI18n } from '../i18n';

export interface PasswordHintProps {
  /** The hint's id, for the input's `aria-describedby`. */
  id: string;
  password: string;
  username: string;
}

/** Live strength feedback with the controller's own rule ({@link passwordProblem}), shown while typing. */
export function PasswordHint({ id, password, username }: PasswordHintProps) {
  const { t } = useI18n();
  const problem = password === '' ? null : passwordProblem(password, username);
  return (
    <p id={id} class={problem ? 'hint strength strength-weak' : password ? 'hint strength strength-ok' : 'hint'} aria-live="polite">
      {problem ? `✗ ${fieldMessage(t, problem)}` : password ? `✓ ${t.password.good}` : t.password.rules}
    </p>
  );
}
