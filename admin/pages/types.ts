import type { StaffUser } from '@protocol';
import type { AdminApi } from '../lib/api';
import type { Route } from '../lib/route';
import type { AdminData, PageData } from '../lib/useAdminData';

/**
 * What a signed-in page gets from the shell; `K` names the slices of the
 * town's data it reads (`PageProps<'town' | 'calendar'>`), so a page says
 * what it depends on and a test gives it only that.
 */
export interface PageProps<K extends keyof AdminData = keyof AdminData> {
  api: AdminApi;
  data: PageData<K>;
  user: StaffUser;
  /** Moves to another page (through the address's #hash). */
  go: (route: Route) => void;
}
