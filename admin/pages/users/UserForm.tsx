import {
  type Ack,
  type CreateUserRequest,
  type Failure,
  type Role,
  type StaffUser,
  type Village,
  createUserRequest,
  invalidPayload,
} from '@protocol';
import { useState } from 'preact/hooks';
import { FailureMessage, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { PasswordHint } from '../../components/PasswordHint';
import { useI18n } from '../../i18n';
import { AccessFields } from './AccessFields';

export interface UserFormProps {
  villages: readonly Village[];
  create: (body: CreateUserRequest) => Promise<Ack<StaffUser>>;
  onCreated: (user: StaffUser) => void;
}

/** 添加用户: name, roles, villages and a first password checked while typing. */
export function UserForm({ villages, create, onCreated }: UserFormProps) {
  const { t } = useI18n();
  const u = t.users;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['editor']);
  const [villageIds, setVillageIds] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: CreateUserRequest = { username: username.trim(), displayName, roles, villageIds, password };
    const local = createUserRequest.safeParse(body);
    if (!local.success) return setFailure(invalidPayload(local.error));
    setBusy(true);
    const ack = await create(body);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setUsername('');
    setDisplayName('');
    setPassword('');
    setRoles(['editor']);
    setVillageIds([]);
    onCreated(ack.data);
  };

  const usernameError = fieldErrorFor(failure, 'username');
  const nameError = fieldErrorFor(failure, 'displayName');
  const passwordError = fieldErrorFor(failure, 'password');
  return (
    <form class="card user-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="user-form-heading">
      <h2 id="user-form-heading">{u.create}</h2>
      <div class="row">
        <Field id="new-username" label={u.username} hint={u.usernameHint} error={usernameError}>
          {(control) => <input {...control} autoComplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />}
        </Field>
        <Field id="new-display-name" label={u.displayName} error={nameError}>
          {(control) => (
            <input {...control} autoComplete="off" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          )}
        </Field>
      </div>
      <AccessFields
        idPrefix="new-user"
        roles={roles}
        villageIds={villageIds}
        villages={villages}
        onRoles={setRoles}
        onVillages={setVillageIds}
        rolesError={fieldErrorFor(failure, 'roles')}
        villagesError={fieldErrorFor(failure, 'villageIds')}
      />
      <Field id="new-password" label={u.password} error={passwordError} describedBy={['new-password-hint', 'new-password-note']}>
        {(control) => (
          <>
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <PasswordHint id="new-password-hint" password={password} username={username.trim()} />
            <p class="hint" id="new-password-note">
              {u.passwordHint}
            </p>
          </>
        )}
      </Field>
      <FailureMessage failure={failure} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {u.add}
        </button>
      </div>
    </form>
  );
}
