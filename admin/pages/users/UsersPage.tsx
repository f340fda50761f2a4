import type { StaffUser } from '@protocol';
import { useState } from 'preact/hooks';
import { Flash } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import { isAdmin } from '../../lib/permissions';
import type { PageProps } from '../types';
import { EditUserDialog } from './EditUserDialog';
import { ResetPasswordDialog } from './ResetPasswordDialog';
import { UserForm } from './UserForm';
import { UserTable } from './UserTable';
import { VillagesPanel } from './VillagesPanel';

type Open = { dialog: 'edit' | 'reset'; user: StaffUser } | null;

/** 用户与村 (admins): accounts, their roles and villages, password resets; the town's villages. */
export function UsersPage({ api, data, user }: Omit<PageProps<'town' | 'users' | 'reloadTown' | 'reloadUsers'>, 'go'>) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!isAdmin(user)) return <p class="note">{t.users.adminOnly}</p>;
  const villages = data.town?.villages ?? [];

  const changed = (message: string): void => {
    setOpen(null);
    setDone(message);
    void data.reloadUsers();
  };

  return (
    <section aria-labelledby="users-heading">
      <div class="section-head">
        <h1 id="users-heading">{t.users.heading}</h1>
      </div>
      <Flash message={done} />
      <UserTable
        users={data.users}
        villages={villages}
        onEdit={(target) => setOpen({ dialog: 'edit', user: target })}
        onReset={(target) => setOpen({ dialog: 'reset', user: target })}
      />
      <div class="two-columns">
        <UserForm
          villages={villages}
          create={(body) => api.createUser(body)}
          onCreated={(created) => changed(t.users.created(created.username))}
        />
        <VillagesPanel
          villages={villages}
          create={(name) => api.createVillage(name)}
          rename={(id, name) => api.renameVillage(id, name)}
          onChanged={(message) => {
            setDone(message);
            void data.reloadTown();
          }}
        />
      </div>
      {open?.dialog === 'edit' && (
        <EditUserDialog
          target={open.user}
          villages={villages}
          update={(body) => api.updateUser(open.user.id, body)}
          onDone={(updated) => changed(t.users.updated(updated.username))}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.dialog === 'reset' && (
        <ResetPasswordDialog
          target={open.user}
          reset={(password) => api.resetPassword(open.user.id, password)}
          onDone={(updated) => changed(t.users.resetDone(updated.username))}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
