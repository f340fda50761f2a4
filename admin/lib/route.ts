/**
 * The app's places, kept in the address's #hash so a reload or a shared link
 * opens the same screen: `#notices`, `#notices/new`, `#notices/<id>`,
 * `#notices/<id>/edit`, `#notices/<id>/correct`, `#review`, `#review/<id>`,
 * `#users`, `#devices`, `#records`, `#channels`, `#reports`, `#reports/<tab>`, `#ledger`, `#signs`.
 */

export type Route =
  | { page: 'notices' }
  | { page: 'notice'; id: string }
  | { page: 'editor'; id: string | null; correct: boolean }
  | { page: 'review'; id: string | null }
  | { page: 'users' }
  | { page: 'devices' }
  | { page: 'records' }
  | { page: 'channels' }
  | { page: 'reports'; tab: string | null }
  | { page: 'ledger' }
  | { page: 'signs' };

/** The top-level sections, in the order of the navigation bar. */
export const SECTIONS = ['notices', 'review', 'users', 'devices', 'signs', 'records', 'channels', 'reports', 'ledger'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * @example
 * parseRoute('#notices/n1/correct'); // { page: 'editor', id: 'n1', correct: true }
 * parseRoute('#nonsense');           // { page: 'notices' }
 */
export function parseRoute(hash: string): Route {
  const [head, id, action, ...rest] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (rest.length > 0) return { page: 'notices' };
  switch (head) {
    case 'notices':
      if (!id) return { page: 'notices' };
      if (id === 'new' && !action) return { page: 'editor', id: null, correct: false };
      if (!action) return { page: 'notice', id };
      if (action === 'edit' || action === 'correct') return { page: 'editor', id, correct: action === 'correct' };
      return { page: 'notices' };
    case 'review':
      return action ? { page: 'notices' } : { page: 'review', id: id || null };
    case 'users':
    case 'devices':
    case 'records':
    case 'channels':
    case 'ledger':
    case 'signs':
      return id ? { page: 'notices' } : { page: head };
    case 'reports':
      return action ? { page: 'notices' } : { page: 'reports', tab: id || null };
    default:
      return { page: 'notices' };
  }
}

/** @example routeHash({ page: 'notice', id: 'n1' }); // '#notices/n1' */
export function routeHash(route: Route): string {
  const id = (value: string): string => encodeURIComponent(value);
  switch (route.page) {
    case 'notices':
      return '#notices';
    case 'notice':
      return `#notices/${id(route.id)}`;
    case 'editor':
      return route.id === null ? '#notices/new' : `#notices/${id(route.id)}/${route.correct ? 'correct' : 'edit'}`;
    case 'review':
      return route.id === null ? '#review' : `#review/${id(route.id)}`;
    case 'users':
    case 'devices':
    case 'records':
    case 'channels':
    case 'ledger':
    case 'signs':
      return `#${route.page}`;
    case 'reports':
      return route.tab === null ? '#reports' : `#reports/${id(route.tab)}`;
  }
}

/** The navigation section a route belongs to. */
export function sectionOf(route: Route): Section {
  switch (route.page) {
    case 'notices':
    case 'notice':
    case 'editor':
      return 'notices';
    case 'review':
    case 'users':
    case 'devices':
    case 'records':
    case 'channels':
    case 'reports':
    case 'ledger':
    case 'signs':
      return route.page;
  }
}
