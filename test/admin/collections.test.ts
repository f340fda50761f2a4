import { describe, expect, it } from 'vitest';
import { mergeById, prependRecords, upsertById } from '../../admin/lib/collections';
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

  it('prependRecords puts a batch first newest first, skips records already listed, and caps the list', () => {
    const r = (seq: number) => record({ seq, receiptId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}` });
    const list = [r(2), r(1)];
    expect(prependRecords(list, [r(3), r(4), r(2)]).map((x) => x.seq)).toEqual([4, 3, 2, 1]);
    expect(prependRecords(list, [r(5), r(5)]).map((x) => x.seq)).toEqual([5, 2, 1]);
    expect(prependRecords(list, [{ ...r(1) }])).toEqual(list);
    expect(prependRecords(list, [r(3), r(4)], 3).map((x) => x.seq)).toEqual([4, 3, 2]);
    expect(list.map((x) => x.seq)).toEqual([2, 1]);
  });
});
