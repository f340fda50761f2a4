import { describe, expect, it } from 'vitest';
import { type Route, parseRoute, routeHash, sectionOf } from '../../admin/lib/route';

describe('routes', () => {
  it('reads every place from the hash and writes it back', () => {
    const routes: Route[] = [
      { page: 'notices' },
      { page: 'notice', id: 'n1' },
      { page: 'editor', id: null, correct: false },
      { page: 'editor', id: 'n1', correct: false },
      { page: 'editor', id: 'n1', correct: true },
      { page: 'review', id: null },
      { page: 'review', id: 'a b' },
      { page: 'users' },
      { page: 'devices' },
      { page: 'records' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('falls back to the notice list for anything unknown', () => {
    for (const hash of ['', '#', '#nonsense', '#notices/n1/delete', '#users/u1', '#review/n1/x', '#notices/a/b/c']) {
      expect(parseRoute(hash)).toEqual({ page: 'notices' });
    }
  });

  it('puts the notice, the editor and the list under 公告 in the menu', () => {
    expect(sectionOf({ page: 'editor', id: null, correct: false })).toBe('notices');
    expect(sectionOf({ page: 'notice', id: 'n1' })).toBe('notices');
    expect(sectionOf({ page: 'review', id: 'n1' })).toBe('review');
  });
});
