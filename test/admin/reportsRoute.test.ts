import { describe, expect, it } from 'vitest';
import { SECTIONS, parseRoute, routeHash, sectionOf } from '../../admin/lib/route';

describe('report routes', () => {
  it('parse and print the ledger, channels and report tabs', () => {
    expect(parseRoute('#reports/annual')).toEqual({ page: 'reports', tab: 'annual' });
    expect(parseRoute('#reports')).toEqual({ page: 'reports', tab: null });
    expect(parseRoute('#reports/annual/extra')).toEqual({ page: 'notices' });
    expect(parseRoute('#ledger')).toEqual({ page: 'ledger' });
    expect(parseRoute('#channels/x')).toEqual({ page: 'notices' });
    for (const hash of ['#reports/stats', '#reports', '#ledger', '#channels']) expect(routeHash(parseRoute(hash))).toBe(hash);
    expect(sectionOf({ page: 'reports', tab: 'checks' })).toBe('reports');
    expect(SECTIONS).toEqual(expect.arrayContaining(['channels', 'reports', 'ledger']));
  });
});
