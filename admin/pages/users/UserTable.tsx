import type { StaffUser, Village } from '@protocol';
import { useI18n } from '../../i18n';

export interface UserTableProps {
  users: readonly StaffUser[];
  villages: readonly Village[];
  onEdit: (user: StaffUser) => void;
  onReset: (user: StaffUser) => void;
}

/** Every account with its roles, villages and state. */
export function UserTable({ users, villages, onEdit, onReset }: UserTableProps) {
  const { t } = useI18n();
  const u = t.users;
  const cols = u.columns;
  return (
    <div class="table-wrap">
      <table class="users">
        <thead>
          <tr>
            <th scope="col">{cols.username}</th>
            <th scope="col">{cols.name}</th>
            <th scope="col">{cols.roles}</th>
            <th scope="col">{cols.villages}</th>
            <th scope="col">{cols.status}</th>
            <th scope="col">{cols.actions}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-user-id={user.id} data-username={user.username}>
              <td class="nowrap">
                <code>{user.username}</code>
              </td>
              <td>{user.displayName}</td>
              <td>{user.roles.map((r) => t.roles[r]).join('、')}</td>
              <td>
                {user.villageIds.length === 0
                  ? u.allVillages
                  : user.villageIds.map((id) => villages.find((v) => v.id === id)?.name ?? id).join('、')}
              </td>
              <td class="nowrap">
                {user.disabled ? (
                  <span class="badge badge-withdrawn">{u.disabled}</span>
                ) : (
                  <span class="badge badge-approved">{u.active}</span>
                )}
                {user.mustChangePassword && <span class="tag">{u.mustChange}</span>}
              </td>
              <td class="actions-cell">
                <div class="actions">
                  <button type="button" onClick={() => onEdit(user)} aria-label={`${u.edit} ${user.username}`}>
                    {u.edit}
                  </button>
                  <button type="button" onClick={() => onReset(user)} aria-label={`${u.reset} ${user.username}`}>
                    {u.reset}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
