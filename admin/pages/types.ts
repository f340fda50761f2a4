import type { StaffUser } from '@protocol';
import type { AdminApi } from '../lib/api';
import type { Route } from '../lib/route';
import type { AdminData } from '../lib/useAdminData';

/** What every signed-in page gets from the shell. */
export interface PageProps {
  api: AdminApi;
  data: AdminData;
  user: StaffUser;
  /** Moves to another page (through the address's #hash). */
  go: (route: Route) => void;
}
