import type { Failure, StaffUser } from '@protocol';
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { AdminApi, StaffMember } from '../api';
import { isAdmin } from '../permissions';

/** Who the staff are: every account (for admins) and a name for any staff id. */
export interface StaffData {
  /** Every account, for admins (who may list them); empty for everyone else. */
  users: StaffUser[];
  reloadUsers: () => Promise<void>;
  /** A staff member's name for an id: the signed-in user, the staff list, a listed account, or the id itself. */
  nameOf: (userId: string) => string;
}

/** The staff list everyone may read, and the accounts an admin may list. */
export function useStaffNames(api: AdminApi, user: StaffUser): { data: StaffData; load: () => Promise<Failure | null> } {
  const [users, setUsers] = useState<StaffUser[]>([]);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const admin = isAdmin(user);

  const reloadUsers = useCallback(async () => {
    if (!admin) return;
    const ack = await api.users();
    if (ack.ok) setUsers(ack.data);
  }, [api, admin]);

  const load = useCallback(async (): Promise<Failure | null> => {
    const [staffAck, usersAck] = await Promise.all([api.staff(), admin ? api.users() : Promise.resolve(null)]);
    if (staffAck.ok) setStaff(staffAck.data);
    if (usersAck?.ok) setUsers(usersAck.data);
    return !staffAck.ok ? staffAck : usersAck && !usersAck.ok ? usersAck : null;
  }, [api, admin]);

  const nameOf = useCallback(
    (userId: string): string => {
      if (userId === user.id) return user.displayName;
      return staff.find((s) => s.id === userId)?.displayName ?? users.find((u) => u.id === userId)?.displayName ?? userId;
    },
    [user, staff, users],
  );

  const data = useMemo(() => ({ users, reloadUsers, nameOf }), [users, reloadUsers, nameOf]);
  return { data, load };
}
