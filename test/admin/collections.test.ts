import { describe, expect, it } from 'vitest';
import { mergeById, prependRecord, upsertById } from '../../admin/lib/collections';
import { record } from './fakes';

describe('snapshot + delta helpers', () => {
  it('upsertById replaces in place or puts a new item first, without mutating', () => {
    const list = [
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
    ];
    expect(upsertById(list, { id: 'b', v: 2 })).toEqual([
      { id: 'a', v: 1 },
      { id: 'b', v: 2 },
    ]);
    expect(upsertById(list, { id: 'c', v: 1 }).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(list[1]).toEqual({ id: 'b', v: 1 });
  });

  it('mergeById keeps fields the update lacks and says when the id is unknown', () => {
    const list = [{ id: 'k1', online: false, kioskUrl: 'http://x/kiosk/?device=k1' }];
    expect(mergeById(list, { id: 'k1', online: true })).toEqual([{ id: 'k1', online: true, kioskUrl: 'http://x/kiosk/?device=k1' }]);
    expect(mergeById(list, { id: 'k9', online: true })).toBeNull();
  });

  it('prependRecord ignores a record already listed and caps the list', () => {
    const first = record({ seq: 1, receiptId: '00000000-0000-4000-8000-000000000001' });
    const second = record({ seq: 2, receiptId: '00000000-0000-4000-8000-000000000002' });
    expect(prependRecord([first], second).map((r) => r.seq)).toEqual([2, 1]);
    expect(prependRecord([first], { ...first })).toHaveLength(1);
    expect(prependRecord([first], second, 1).map((r) => r.seq)).toEqual([2]);
  });
});
