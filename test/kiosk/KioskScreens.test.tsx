/** The app switching screens: touch → browse, idle → back to the rotation (paused meanwhile), and a warning's takeover above all. */
import type { Ack, DisplayReportResult, KioskReceipt, Playlist, PlaylistItem } from '@protocol';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InteractionInput } from '../../kiosk/interactions';
import { KioskApp } from '../../kiosk/KioskApp';
import type { ConnectKiosk, LinkHandlers } from '../../kiosk/link';
import { createKioskStorage } from '../../kiosk/storage';
import { HASH_B, item, memoryBackend, playlist } from './fixtures';

const START = 1_000_000;
const two: Playlist = playlist([
  item({ noticeId: 'a', title: '第一条公告', durationSec: 10, approvedAt: 2 }),
  item({ noticeId: 'b', title: '第二条公告', durationSec: 10, approvedAt: 1 }),
]);
const warning = (overrides: Partial<PlaylistItem> = {}): PlaylistItem =>
  item({
    noticeId: 'w',
    contentHash: HASH_B,
    title: '暴雨红色预警',
    body: '请低洼地带群众立即转移。',
    emergency: { level: 'red' },
    priority: 104,
    durationSec: 10,
    endsAt: START + 60_000,
    ...overrides,
  });

describe('kiosk screens in the app', () => {
  let clock = START;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = START;
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  const setup = (props: { idleSec?: number } = {}) => {
    const reports: KioskReceipt[][] = [];
    let handlers: LinkHandlers | null = null;
    const connect: ConnectKiosk = (_auth, h) => {
      handlers = h;
      const link = {
        report: (receipts: KioskReceipt[]): Promise<Ack<DisplayReportResult>> => {
          reports.push(receipts);
          return Promise.resolve({ ok: true, data: { recorded: receipts.map((r) => r.receiptId), rejected: [] } });
        },
        // Heartbeats are not what these tests are about: the controller never answers them.
        heartbeat: () => Promise.reject(new Error('no heartbeats here')),
        close: () => undefined,
      };
      return link;
    };
    const interactions: InteractionInput[] = [];
    const shown: string[] = [];
    const playChime = vi.fn();
    let ids = 0;
    render(
      <KioskApp
        deviceId="k1"
        storage={createKioskStorage('k1', memoryBackend())}
        connect={connect}
        build="b-1"
        onOtherBuild={() => undefined}
        receiptAfterSec={null}
        now={() => clock}
        newId={() => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`}
        onInteraction={(i) => interactions.push(i)}
        onEmergencyShown={(i) => shown.push(i.noticeId)}
        speech={null}
        ratingBackend={memoryBackend()}
        playChime={playChime}
        {...props}
      />,
    );
    const send = (fn: (h: LinkHandlers) => void): void => {
      void act(() => {
        if (handlers) fn(handlers);
      });
    };
    return { send, reports, interactions, shown, playChime };
  };
  const advance = (ms: number): void => {
    for (let left = ms; left > 0; left -= 1000) {
      void act(() => {
        clock += Math.min(1000, left);
        vi.advanceTimersByTime(Math.min(1000, left));
      });
    }
  };
  const flush = async (): Promise<void> => {
    await act(async () => {
      await vi.runOnlyPendingTimersAsync();
    });
  };
  const displayed = (reports: KioskReceipt[][]) =>
    reports
      .flat()
      .flatMap((r) =>
        r.kind === 'display' || r.kind === 'showings' ? [{ noticeId: r.noticeId, startedAt: r.startedAt, endedAt: r.endedAt }] : [],
      );

  it('opens browsing on a touch, pauses the rotation meanwhile, and goes back after the idle time', async () => {
    const { send, reports, interactions } = setup({ idleSec: 30 });
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    advance(4000);
    fireEvent.click(screen.getByRole('heading', { name: '第一条公告' }));
    expect(screen.getByRole('heading', { name: '请选择要查看的公告类别' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /全部公告/ }));
    fireEvent.click(screen.getByRole('button', { name: /第二条公告/ }));
    expect(interactions).toEqual([{ action: 'opened', noticeId: 'b', contentHash: two.items[1]?.contentHash }]);

    advance(29_000);
    expect(screen.getByRole('heading', { level: 2, name: '第二条公告' })).toBeTruthy();
    advance(1000);
    // Idle: back to the rotation, on the card it left, started afresh.
    expect(screen.queryByRole('heading', { name: '请选择要查看的公告类别' })).toBeNull();
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
    advance(10_000);
    expect(screen.getByRole('heading', { name: '第二条公告' })).toBeTruthy();
    // The link drops and comes back: the hour's open interval is closed and sent.
    send((h) => h.status('disconnected'));
    send((h) => h.status('online'));
    await flush();
    // The 30 s of browsing are never reported as the card being shown (the first showing goes alone, the next waits for its hour).
    expect(displayed(reports)).toEqual([
      { noticeId: 'a', startedAt: START + 4000 - 4000, endedAt: START + 4000 },
      { noticeId: 'a', startedAt: START + 34_000, endedAt: START + 44_000 },
    ]);
  });

  it('ends browsing with 结束查看', () => {
    const { send } = setup();
    send((h) => h.playlist(two));
    fireEvent.click(screen.getByRole('button', { name: /查看全部公告/ }));
    fireEvent.click(screen.getByRole('button', { name: '结束查看' }));
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
  });

  it('lets a warning take over above browsing, with the level in words, a chime every 30 s and one acknowledgement, until it expires', async () => {
    const { send, shown, playChime, reports } = setup();
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    fireEvent.click(screen.getByRole('button', { name: /查看全部公告/ }));
    advance(2000);
    send((h) => h.playlist(playlist([...two.items, warning()], 'v2')));

    expect(screen.getByRole('alert').textContent).toBe('红色预警一级');
    expect(screen.getByRole('heading', { name: '暴雨红色预警' })).toBeTruthy();
    expect(screen.getByText('请低洼地带群众立即转移。')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '请选择要查看的公告类别' })).toBeNull();
    expect(playChime).toHaveBeenCalledTimes(1);
    expect(shown).toEqual(['w']);

    advance(30_000);
    expect(playChime).toHaveBeenCalledTimes(2);
    expect(shown).toEqual(['w']);
    advance(27_000);
    expect(screen.getByRole('alert')).toBeTruthy();

    // Expired (at 60 s): the rotation comes back and the chime stops.
    advance(1000);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
    advance(60_000);
    expect(playChime).toHaveBeenCalledTimes(2);
    await flush();
    // The warning's own showing is reported as displayed.
    expect(displayed(reports).filter((r) => r.noticeId === 'w')[0]).toEqual({
      noticeId: 'w',
      startedAt: START + 2000,
      endedAt: START + 12_000,
    });
    expect(displayed(reports).filter((r) => r.noticeId === 'a' && r.endedAt <= START + 2000)).toEqual([]);
  });

  it('acknowledges each warning once per takeover, again when a later takeover starts, and leaves when cancelled', () => {
    const { send, shown, playChime } = setup();
    const both = playlist(
      [...two.items, warning(), warning({ noticeId: 'w2', title: '大风蓝色预警', emergency: { level: 'blue' }, priority: 101 })],
      'v2',
    );
    send((h) => h.playlist(both));
    expect(shown).toEqual(['w', 'w2']);
    expect(screen.getByText('第 1 / 2 条预警')).toBeTruthy();
    advance(10_000);
    expect(screen.getByRole('alert').textContent).toBe('蓝色预警四级');
    expect(shown).toEqual(['w', 'w2']);

    // Cancelled (解除): both leave the playlist.
    send((h) => h.playlist(two));
    expect(screen.queryByRole('alert')).toBeNull();
    const chimes = playChime.mock.calls.length;
    advance(40_000);
    expect(playChime).toHaveBeenCalledTimes(chimes);

    send((h) => h.playlist(playlist([...two.items, warning({ endsAt: START + 600_000 })], 'v3')));
    expect(shown).toEqual(['w', 'w2', 'w']);
  });

  it('holds the whole screen for the level’s time, then lets villagers browse under a banner that reopens it, and takes over again on schedule and on an update', () => {
    const { send, shown, playChime, interactions } = setup({ idleSec: 600 });
    const blue = warning({ noticeId: 'w', title: '大风蓝色预警', emergency: { level: 'blue' }, priority: 101, endsAt: START + 86_400_000 });
    const times = {
      red: { fullScreenMin: 10, againAfterMin: 15 },
      orange: { fullScreenMin: 10, againAfterMin: 20 },
      yellow: { fullScreenMin: 3, againAfterMin: 30 },
      blue: { fullScreenMin: 2, againAfterMin: 5 },
    };
    send((h) => h.playlist({ ...playlist([...two.items, blue], 'v2'), takeover: times }));
    expect(screen.getByRole('alert').textContent).toBe('蓝色预警四级');
    expect(screen.queryByText(/本预警已于/)).toBeNull();
    // The takeover says when the other notices come back (the town's clock: START + 2 min).
    expect(screen.getByText(/后可查看其他公告/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /查看全部公告/ })).toBeNull();
    expect(shown).toEqual(['w']);
    const chimes = (): number => playChime.mock.calls.length;
    expect(chimes()).toBe(1);

    // After 2 minutes: the rotation of every notice, under the warning's banner.
    advance(120_000);
    expect(screen.queryByRole('alert')).toBeNull();
    const banner = screen.getByRole('button', { name: /蓝色预警（四级）.*大风蓝色预警.*点此查看/ });
    expect(screen.getByRole('button', { name: /查看全部公告/ })).toBeTruthy();
    const chimed = chimes();
    advance(60_000);
    expect(chimes()).toBe(chimed);

    // The banner opens the warning whole, with a way back; no chime and no second acknowledgement.
    fireEvent.click(banner);
    expect(screen.getByRole('alert').textContent).toBe('蓝色预警四级');
    fireEvent.click(screen.getByRole('button', { name: /返回 查看其他公告/ }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(chimes()).toBe(chimed);

    // A villager browsing when the return is due keeps reading under the banner; the warning comes back when the visit ends.
    fireEvent.click(screen.getByRole('button', { name: /查看全部公告/ }));
    advance(5 * 60_000);
    expect(screen.getByRole('heading', { name: '请选择要查看的公告类别' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /大风蓝色预警/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '结束查看' }));
    advance(1000);
    expect(screen.getByRole('alert').textContent).toBe('蓝色预警四级');
    expect(chimes()).toBe(chimed + 1);
    expect(shown).toEqual(['w']);

    // Back to the banner after 2 minutes; then an update to the warning takes the whole screen at once, even from a reader.
    advance(120_000);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /查看全部公告/ }));
    send((h) =>
      h.playlist({
        ...playlist([...two.items, { ...blue, contentHash: 'c'.repeat(64), body: '风力加大。', approvedAt: START + 5 * 60_000 }], 'v3'),
        takeover: times,
      }),
    );
    expect(screen.getByRole('alert').textContent).toBe('蓝色预警四级');
    expect(screen.getByText('风力加大。')).toBeTruthy();
    // Said to be an update, with when it was approved (the town's clock), so a villager who saw it before reads it again.
    expect(screen.getByText('本预警已于 1970年1月1日 08:21 更新')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '请选择要查看的公告类别' })).toBeNull();
    expect(shown).toEqual(['w', 'w']);
    // The banner after it says so too, for as long as the warning stays.
    advance(120_000);
    expect(screen.getByRole('button', { name: /大风蓝色预警\s*（已更新）/ })).toBeTruthy();
    expect(interactions).toEqual([]);
  });
});
