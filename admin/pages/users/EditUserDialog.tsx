import {
  type Ack,
  type Failure,
  type Role,
  type StaffUser,
  type UpdateUserRequest,
  type Village,
  invalidPayload,
  updateUserRequest,
} from '@protocol';
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from '../../components/Dialog';
import { fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { AccessFields } from './AccessFields';

export interface EditUserDialogProps {
  target: StaffUser;
  villages: readonly Village[];
  update: (body: UpdateUserRequest) => Promise<Ack<StaffUser>>;
  onDone: (user: StaffUser) => void;
  onClose: () => void;
}

/** Name, roles, villages and 停用 for one account. */
export function EditUserDialog({ target, villages, update, onDone, onClose }: EditUserDialogProps) {
  const { t } = useI18n();
  const u = t.users;
  const [displayName, setDisplayName] = useState(target.displayName);
  const [roles, setRoles] = useState<Role[]>(target.roles);
  const [villageIds, setVillageIds] = useState<string[]>(target.villageIds);
  const [disabled, setDisabled] = useState(target.disabled);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: UpdateUserRequest = { displayName, roles, villageIds, disabled };
    const local = updateUserRequest.safeParse(body);
    if (!local.success) return setFailure(invalidPayload(local.error));
    setBusy(true);
    const ack = await update(local.data);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    onDone(ack.data);
  };

  const nameError = fieldErrorFor(failure, 'displayName');
  return (
    <Dialog id="edit-user-dialog" heading={u.editHeading(target.username)} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field id="edit-display-name" label={u.displayName} error={nameError}>
          {(control) => <input {...control} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />}
        </Field>
        <AccessFields
          idPrefix="edit-user"
          roles={roles}
          villageIds={villageIds}
          villages={villages}
          onRoles={setRoles}
          onVillages={setVillageIds}
          rolesError={fieldErrorFor(failure, 'roles')}
          villagesError={fieldErrorFor(failure, 'villageIds')}
        />
        <label class="choice">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
          {u.disable}
        </label>
        <DialogActions failure={failure} busy={busy} submitLabel={u.save} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
