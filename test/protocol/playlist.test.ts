import { describe, expect, it } from 'vitest';
import { type Playlist, type PlaylistItem, activeItems } from '../../controller/protocol/index.js';

const item = (id: string, over: Partial<PlaylistItem> = {}): PlaylistItem => ({
  noticeId: id,
  versionId: `${id}-v1`,
  contentHash: '0'.repeat(64),
  category: 'a20-other',
  docNumber: null,
  emergency: null,
  correction: null,
  title: id,
  body: '',
  issuer: '彪角镇人民政府',
  startsAt: null,
  endsAt: null,
  durationSec: 10,
  priority: 0,
  approvedAt: 0,
  ...over,
});

describe('activeItems', () => {
  it('keeps only items whose window contains now, start inclusive and end exclusive', () => {
    const playlist: Playlist = {
      version: 'x',
      generatedAt: 0,
      items: [
        item('always'),
        item('future', { startsAt: 200 }),
        item('past', { endsAt: 100 }),
        item('window', { startsAt: 100, endsAt: 200 }),
      ],
    };
    expect(
      activeItems(playlist, 100)
        .map((i) => i.noticeId)
        .sort(),
    ).toEqual(['always', 'window']);
    expect(
      activeItems(playlist, 200)
        .map((i) => i.noticeId)
        .sort(),
    ).toEqual(['always', 'future']);
  });

  it('orders by priority, then newest approval', () => {
    const playlist: Playlist = {
      version: 'x',
      generatedAt: 0,
      items: [item('old', { approvedAt: 1 }), item('new', { approvedAt: 2 }), item('urgent', { priority: 9 })],
    };
    expect(activeItems(playlist, 0).map((i) => i.noticeId)).toEqual(['urgent', 'new', 'old']);
  });

  it('does not reorder the playlist it is given', () => {
    const playlist: Playlist = { version: 'x', generatedAt: 0, items: [item('a', { approvedAt: 1 }), item('b', { approvedAt: 2 })] };
    activeItems(playlist, 0);
    expect(playlist.items.map((i) => i.noticeId)).toEqual(['a', 'b']);
  });
});
