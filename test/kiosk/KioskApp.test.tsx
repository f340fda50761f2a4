import type { Ack, DisplayReportResult, Heartbeat, HeartbeatAnswer, KioskAuth, KioskReceipt, Playlist } from '@protocol';
import { act, cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskApp } from '../../kiosk/KioskApp';
import type { ConnectKiosk, KioskHello, LinkHandlers } from '../../kiosk/link';
import { createKioskStorage } from '../../kiosk/storage';
import { item, memoryBackend, playlist } from './fixtures';

/** A controller on the other end of the link, driven by the test. */
function fakeController() {
  const state: {
    handlers: LinkHandlers | null;
    auth: KioskAuth | null;
    reports: KioskReceipt[][];
    beats: Heartbeat[];
    /** What the controller's clock says, relative to the kiosk's. */
    serverOffsetMs: number;
    closed: boolean;
  } = {
    handlers: null,
    auth: null,
    reports: [],
    beats: [],
    serverOffsetMs: 0,
    closed: false,
  };
  const connect: ConnectKiosk = (auth, handlers) => {
    state.auth = auth;
    state.handlers = handlers;
    return {
      report: (receipts): Promise<Ack<DisplayReportResult>> => {
        state.reports.push(receipts);
        return Promise.resolve({ ok: true, data: { recorded: receipts.map((r) => r.receiptId), rejected: [] } });
      },
      heartbeat: (beat): Promise<Ack<HeartbeatAnswer>> => {
        state.beats.push(beat);
        return Promise.resolve({ ok: true, data: { serverTime: beat.clock + state.serverOffsetMs } });
      },
      close: () => {
        state.closed = true;
      },
    };
  };
  const send = (fn: (h: LinkHandlers) => void): void => {
    void act(() => {
      if (state.handlers) fn(state.handlers);
    });
  };
  return { state, connect, send };
}

function hello(build: string): KioskHello {
  return {
    protocol: 1,
    build,
    device: {
      id: 'k1',
      kind: 'kiosk',
      name: '张堂村村委会触摸屏',
      villageId: 'v2',
      location: '',
      demo: true,
      online: true,
      lastSeenAt: null,
      revokedAt: null,
      onHours: null,
      status: null,
      missingReceipts: 0,
      offlineAlert: false,
      witnessAlarm: null,
    },
    village: { id: 'v2', name: '张堂村' },
    town: { name: '彪角镇', issuer: '彪角镇人民政府' },
  };
}

const two: Playlist = playlist([
  item({ noticeId: 'a', title: '第一条公告', durationSec: 10, approvedAt: 2 }),
  item({ noticeId: 'b', title: '第二条公告', durationSec: 10, approvedAt: 1 }),
]);

describe('KioskApp', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1_000_000;
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  const setup = (backend = memoryBackend(), options: { receiptAfterSec?: number | null; onRevoked?: (reason: string) => void } = {}) => {
    const controller = fakeController();
    const storage = createKioskStorage('k1', backend);
    const onOtherBuild = vi.fn();
    let ids = 0;
    const view = render(
      <KioskApp
        deviceId="k1"
        storage={storage}
        connect={controller.connect}
        build="b-1"
        onOtherBuild={onOtherBuild}
        receiptAfterSec={options.receiptAfterSec ?? null}
        now={() => clock}
        newId={() => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`}
        {...(options.onRevoked ? { onRevoked: options.onRevoked } : {})}
      />,
    );
    return { ...controller, storage, onOtherBuild, view, backend };
  };

  const advance = (ms: number): void => {
    void act(() => {
      clock += ms;
      vi.advanceTimersByTime(ms);
    });
  };

  it('shows the friendly empty screen before anything arrives, then the first notice', () => {
    const { send } = setup();
    expect(screen.getByText('暂无公告')).toBeTruthy();
    send((h) => {
      h.status('online');
      h.hello(hello('b-1'));
      h.playlist(two);
    });
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
    expect(screen.getByText('第 1 / 2 条')).toBeTruthy();
    expect(screen.getByText('张堂村')).toBeTruthy();
    expect(screen.getByText('已连接')).toBeTruthy();
  });

  it('rotates after each card’s duration and reports the display', async () => {
    const { send, state } = setup();
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    advance(10_000);
    expect(screen.getByRole('heading', { name: '第二条公告' })).toBeTruthy();
    await act(async () => {
      await vi.runOnlyPendingTimersAsync();
    });
    expect(state.reports.flat()).toMatchObject([{ noticeId: 'a', startedAt: 1_000_000, endedAt: 1_010_000, clockTrusted: true }]);
  });

  it('tells the controller on connect and on each new card what it shows and how many receipts wait', async () => {
    const { send, state } = setup();
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(state.beats.at(-1)).toMatchObject({ build: 'b-1', showing: { noticeId: 'a' }, queued: expect.any(Number), clock: clock });
    advance(10_000);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(state.beats.at(-1)?.showing?.noticeId).toBe('b');
  });

  it('marks receipts as written with an untrusted clock when the controller’s clock disagrees by minutes', async () => {
    const { send, state } = setup();
    state.serverOffsetMs = 10 * 60_000;
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    advance(10_000);
    await act(async () => {
      await vi.runOnlyPendingTimersAsync();
    });
    expect(state.reports.flat().find((r) => r.kind === 'showings')).toMatchObject({ noticeId: 'a', clockTrusted: false });
  });

  it('goes back to pairing when staff revoke it', () => {
    const onRevoked = vi.fn();
    const { send } = setup(memoryBackend(), { onRevoked });
    send((h) => h.revoked?.('设备丢失'));
    expect(onRevoked).toHaveBeenCalledWith('设备丢失');
  });

  it('sends the first receipt early when receiptAfter is set', async () => {
    const { send, state } = setup(memoryBackend(), { receiptAfterSec: 2 });
    send((h) => {
      h.status('online');
      h.playlist(two);
    });
    advance(2_000);
    await act(async () => {
      await Promise.resolve(); // the outbox stores the receipt before it sends it
    });
    expect(state.reports.flat()).toMatchObject([{ noticeId: 'a', startedAt: 1_000_000, endedAt: 1_002_000 }]);
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
  });

  it('keeps showing the stored playlist after a reload while the controller refuses it', () => {
    const backend = memoryBackend();
    const first = setup(backend);
    first.send((h) => {
      h.hello(hello('b-1'));
      h.playlist(two);
    });
    cleanup();

    const { send } = setup(backend);
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
    expect(screen.getByText('彪角镇')).toBeTruthy();
    send((h) => h.status('unpaired'));
    expect(screen.getByText('未配对')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '第一条公告' })).toBeTruthy();
  });

  it('moves on at once when the notice on screen is withdrawn', () => {
    const { send } = setup();
    send((h) => h.playlist(two));
    send((h) => h.playlist(playlist([item({ noticeId: 'b', title: '第二条公告' })], 'v2')));
    expect(screen.getByRole('heading', { name: '第二条公告' })).toBeTruthy();
  });

  it('shows a newly published notice at once instead of waiting its turn', () => {
    const { send } = setup();
    send((h) => h.playlist(two));
    advance(3_000);
    send((h) => h.playlist(playlist([item({ noticeId: 'new', title: '刚发布的公告', approvedAt: 3 }), ...two.items], 'v2')));
    expect(screen.getByRole('heading', { name: '刚发布的公告' })).toBeTruthy();
    expect(screen.getByText('第 1 / 3 条')).toBeTruthy();
  });

  it('asks to reload when the controller serves another build, but not for dev', () => {
    const { send, onOtherBuild } = setup();
    send((h) => h.hello(hello('dev')));
    expect(onOtherBuild).not.toHaveBeenCalled();
    send((h) => h.hello(hello('b-2')));
    expect(onOtherBuild).toHaveBeenCalledWith('b-2');
  });

  it('connects with the stored token and its build', () => {
    const backend = memoryBackend();
    createKioskStorage('k1', backend).saveToken('secret-token');
    const { state } = setup(backend);
    expect(state.auth).toEqual({ deviceId: 'k1', token: 'secret-token', build: 'b-1' });
  });
});
