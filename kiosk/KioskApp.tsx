import { type KioskWelcome, type Playlist, type SoundState, TOWN_UTC_OFFSET_MINUTES } from '@protocol';
import { soundState, watchSound } from './chime';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EmptyScreen } from './EmptyScreen';
import { TownOffset, drawablePlaylist, formatClock, formatDate, formatWeekday } from './format';
import type { ConnectKiosk, KioskHello, KioskLink, LinkStatus } from './link';
import { NoticeCard } from './NoticeCard';
import { createOutbox } from './outbox';
import type { Segment } from './rotation';
import { StatusBadge } from './StatusBadge';
import type { KioskStorage } from './storage';
import { useRotation } from './useRotation';
import { randomId } from './uuid';
import { type ClockTrust, startHeartbeat } from './heartbeat';
import type { EmergencyShown, RecordInteraction } from './interactions';
import { BrowseShell } from './screens/BrowseShell';
import { EmergencyTakeover, WarningBanner } from './screens/EmergencyTakeover';
import { type ScreenOptions, useKioskScreens } from './screens/useKioskScreens';
import { type WitnessStore, browserWitnessStore, loadWitness, runWitness } from './witness';

export interface KioskAppProps {
  deviceId: string;
  storage: KioskStorage;
  connect: ConnectKiosk;
  /** This app's build id; a controller serving another one makes the kiosk reload. */
  build: string;
  /** Called with the controller's build when it differs from ours. */
  onOtherBuild: (serverBuild: string) => void;
  /** Seconds before the first display receipt; null = the card's own duration. */
  receiptAfterSec: number | null;
  now?: () => number;
  newId?: () => string;
  /** A villager opened, listened to, scanned or rated a notice. */
  onInteraction?: RecordInteraction;
  /** A warning took over the screen (once per warning per takeover). */
  onEmergencyShown?: EmergencyShown;
  /** Seconds without a touch before browsing ends; default `?idle=` in the address, else 90. */
  idleSec?: number;
  /** Injected in tests: the speech engine (null = none), where rating times are kept, the chime. */
  speech?: ScreenOptions['speech'];
  ratingBackend?: ScreenOptions['ratingBackend'];
  playChime?: ScreenOptions['playChime'];
  /** Staff revoked this kiosk (or its token stopped working): go back to pairing. Demo kiosks leave it out. */
  onRevoked?: (reason: string) => void;
  /** Whether the warning chime can sound, and its changes (default: the browser's Web Audio, kiosk/chime.ts). */
  sound?: { state: () => SoundState; watch: (listener: () => void) => () => void };
  /** Where the ledger checkpoint this kiosk witnesses is kept (default localStorage). */
  witnessStore?: WitnessStore | null;
}

const BROWSER_SOUND = { state: soundState, watch: watchSound };

/** The village touchscreen: rotating notices in large type, working from its stored playlist when offline. */
export function KioskApp(props: KioskAppProps) {
  const { storage, deviceId, connect } = props;
  const now = props.now ?? Date.now;
  const newId = props.newId ?? randomId;
  const [playlist, setPlaylist] = useState<Playlist | null>(() => storage.loadPlaylist());
  const [welcome, setWelcome] = useState<KioskWelcome | null>(() => storage.loadWelcome());
  const [status, setStatus] = useState<LinkStatus>('connecting');
  const sound = props.sound ?? BROWSER_SOUND;
  const witnessStore = useMemo(() => (props.witnessStore === undefined ? browserWitnessStore() : props.witnessStore), [props.witnessStore]);
  const [ledgerAlarm, setLedgerAlarm] = useState(() => loadWitness(witnessStore, deviceId).alarm);
  const link = useRef<KioskLink | null>(null);
  const clock = useRef<ClockTrust | null>(null);
  const showing = useRef<{ noticeId: string; contentHash: string } | null>(null);
  const beatNow = useRef<(() => Promise<void>) | null>(null);
  const acknowledged = useRef(new Set<string>());
  /** Versions that arrived in the playlist and have not been shown yet: their first showing is sent on its own. */
  const firstShowing = useRef(new Set<string>());
  /** What every receipt says of the clock it was written by: trusted, and how far off the controller's (when measured). */
  const clockFacts = (): { clockTrusted: boolean; clockOffsetMs?: number } => {
    const offset = clock.current?.offsetMs() ?? null;
    return { clockTrusted: clock.current?.trusted() ?? true, ...(offset === null ? {} : { clockOffsetMs: Math.round(offset) }) };
  };
  const outbox = useMemo(
    () =>
      createOutbox({
        store: storage.receipts,
        newId,
        send: (receipts) => (link.current ? link.current.report(receipts) : Promise.reject(new Error('not connected'))),
      }),
    [storage],
  );

  // Intervals left open by the last run (a reload, a power cut) close now: the time in between may be an outage.
  useEffect(() => void outbox.closeShowings(), [outbox]);

  useEffect(() => {
    const token = storage.loadToken();
    const connection = connect(token ? { deviceId, token, build: props.build } : { deviceId, build: props.build }, {
      hello(hello: KioskHello) {
        if (hello.build !== props.build && hello.build !== 'dev') props.onOtherBuild(hello.build);
        const next: KioskWelcome = {
          device: hello.device,
          village: hello.village,
          town: hello.town,
          ...(hello.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: hello.utcOffsetMinutes } : {}),
        };
        storage.saveWelcome(next);
        setWelcome(next);
      },
      playlist(next) {
        // A version that left the playlist (replaced, withdrawn, expired) closes its showing interval now.
        const kept = new Set(next.items.map((i) => i.contentHash));
        void outbox.closeShowings((open) => !kept.has(open.contentHash));
        // A version new to this kiosk is reported at its first showing, not hours later.
        const before = new Set(storage.loadPlaylist()?.items.map((i) => i.contentHash) ?? []);
        for (const hash of kept) if (!before.has(hash)) firstShowing.current.add(hash);
        storage.savePlaylist(next);
        setPlaylist(next);
      },
      status(next) {
        setStatus(next);
        outbox.setConnected(next === 'online');
        // Say at once who we are and how we are, not half a minute later.
        if (next === 'online') setTimeout(() => void beatNow.current?.(), 0);
        // Then witness the ledger: the controller must prove it extends the checkpoint this kiosk holds.
        const current = link.current;
        if (next === 'online' && current?.prove && current.reportWitnessAlarm) {
          const witnessLink = { prove: current.prove, reportWitnessAlarm: current.reportWitnessAlarm };
          runWitness({ link: witnessLink, store: witnessStore, deviceId, now })
            .then((state) => setLedgerAlarm(state.alarm))
            .catch(() => undefined); // offline again: the next connect tries again
        }
        if (next === 'unpaired') props.onRevoked?.('此屏幕的配对已失效');
      },
      revoked(reason) {
        props.onRevoked?.(reason);
      },
    });
    link.current = connection;
    const heartbeat = startHeartbeat({
      link: () => link.current,
      now,
      beat: () => ({
        build: props.build,
        showing: showing.current,
        queued: outbox.pendingCount(),
        quarantined: outbox.quarantinedCount(),
        sound: sound.state(),
      }),
    });
    // Staff see on the devices page when this kiosk cannot sound the warning chime; a change is told at once.
    const unwatch = sound.watch(() => void heartbeat.beatNow());
    clock.current = heartbeat.clock;
    beatNow.current = heartbeat.beatNow;
    return () => {
      unwatch();
      heartbeat.stop();
      clock.current = null;
      beatNow.current = null;
      outbox.stop();
      link.current = null;
      connection.close();
    };
    // Connect once per device; the handlers read only stable values.
  }, [deviceId, storage, connect, outbox]);

  const drawn = useMemo(() => drawablePlaylist(playlist), [playlist]);
  const screens = useKioskScreens(drawn, { ...props, now });
  const rotation = useRotation(screens.shown, {
    now,
    paused: screens.browsing || screens.warningOpen,
    firstReceiptAfterMs: props.receiptAfterSec === null ? null : props.receiptAfterSec * 1000,
    // Each showing joins its version's interval for the period (kiosk/outbox.ts, protocol/showings.ts).
    onSegment: (segment: Segment) =>
      void outbox.show({ ...segment, ...clockFacts() }, { alone: firstShowing.current.delete(segment.contentHash) }),
  });
  // A warning taking the whole screen ends the open intervals of the cards it pushed aside.
  useEffect(() => {
    if (screens.takeover === 'full') void outbox.closeShowings();
  }, [screens.takeover, outbox]);
  showing.current = rotation.item ? { noticeId: rotation.item.noticeId, contentHash: rotation.item.contentHash } : null;
  // The admin shows what is on screen now: tell it when that changes (at most once per rotation step).
  useEffect(() => void beatNow.current?.(), [rotation.item?.noticeId, rotation.item?.contentHash]);
  const recordInteraction: RecordInteraction =
    props.onInteraction ?? ((input) => void outbox.add({ kind: 'interaction', ...input, at: now(), ...clockFacts() }));
  const emergencyShown: EmergencyShown = (item) => {
    props.onEmergencyShown?.(item);
    void outbox.add({
      kind: 'emergency_ack',
      noticeId: item.noticeId,
      contentHash: item.contentHash,
      at: now(),
      ...clockFacts(),
    });
  };

  const { item } = rotation;
  const offset = welcome?.utcOffsetMinutes ?? TOWN_UTC_OFFSET_MINUTES;
  const header = (
    <header class="kiosk-header">
      <h1 class="kiosk-place">
        {welcome && <span class="kiosk-town">{welcome.town.name}</span>}
        {welcome && <span class="kiosk-village">{welcome.village.name}</span>}
        <span class="kiosk-kind">公示公告</span>
      </h1>
      <div class="kiosk-clock">
        <time class="kiosk-time">{formatClock(rotation.now, offset)}</time>
        <span class="kiosk-date">
          {formatDate(rotation.now, offset)} {formatWeekday(rotation.now, offset)}
        </span>
      </div>
    </header>
  );
  // A warning is acknowledged once from its arrival until it leaves, however often it returns to the screen.
  if (screens.takeover === 'none') acknowledged.current.clear();
  const [warning] = screens.emergencies;
  if (warning && (screens.takeover === 'full' || screens.warningOpen)) {
    const full = screens.takeover === 'full';
    return (
      <TownOffset.Provider value={offset}>
        <EmergencyTakeover
          key={full ? 'full' : 'opened'}
          item={full && item?.emergency ? item : warning}
          all={screens.emergencies}
          updated={screens.updated}
          place={welcome ? `${welcome.town.name} ${welcome.village.name}` : '公示公告'}
          now={rotation.now}
          playChime={full ? screens.playChime : null}
          onShown={emergencyShown}
          acknowledged={acknowledged.current}
          until={screens.takeoverUntil}
          {...(full ? {} : { onClose: screens.closeWarning })}
        />
      </TownOffset.Provider>
    );
  }
  const banner = screens.takeover === 'banner' && (
    <WarningBanner warnings={screens.emergencies} updated={screens.updated} onOpen={screens.openWarning} />
  );
  if (screens.browsing) {
    return (
      <TownOffset.Provider value={offset}>
        <BrowseShell
          items={screens.active}
          header={header}
          banner={banner || null}
          onExit={screens.stopBrowsing}
          speech={screens.speech}
          ratings={screens.ratings}
          now={now}
          onInteraction={recordInteraction}
        />
      </TownOffset.Provider>
    );
  }
  return (
    <TownOffset.Provider value={offset}>
      <div class={`${item ? 'kiosk' : 'kiosk kiosk-empty'}${banner ? ' kiosk-warned' : ''}`}>
        {header}
        {banner}
        {/* Touching the notice (anywhere on the card) starts browsing. */}
        <main class={item ? 'kiosk-main kiosk-touch' : 'kiosk-main'} onClick={item ? screens.startBrowsing : undefined}>
          {item ? (
            <NoticeCard key={`${item.noticeId}:${rotation.cardSince}`} item={item} />
          ) : (
            <EmptyScreen status={status} hasPlaylist={playlist !== null} />
          )}
        </main>
        <footer class="kiosk-footer">
          <button type="button" class="kiosk-nav" onClick={rotation.previous} disabled={rotation.total < 2}>
            ‹ 上一条
          </button>
          <div class="kiosk-progress">
            {item && (
              <button type="button" class="kiosk-browse" onClick={screens.startBrowsing}>
                点这里 查看全部公告 · 搜索
              </button>
            )}
            {item && (
              <span class="kiosk-position">
                <span class="kiosk-count">
                  第 {rotation.position} / {rotation.total} 条
                </span>
                <span class="kiosk-bar" aria-hidden="true">
                  <span key={rotation.cardSince} class="kiosk-bar-fill" style={{ animationDuration: `${item.durationSec}s` }} />
                </span>
              </span>
            )}
          </div>
          <button type="button" class="kiosk-nav" onClick={rotation.next} disabled={rotation.total < 2}>
            下一条 ›
          </button>
          <div class="kiosk-status">
            <StatusBadge status={status} />
            {ledgerAlarm && (
              <span class="kiosk-ledger-alarm" role="alert" data-alarm={ledgerAlarm.kind} title={ledgerAlarm.message}>
                {ledgerAlarm.kind === 'checkpoint-unreadable'
                  ? '⚠ 本机保存的账本检查点无法读取，请告知镇政务公开办'
                  : `⚠ 公开账本核对异常：${ledgerAlarm.message.split('。')[0]}。请告知镇政务公开办`}
              </span>
            )}
            {status !== 'online' && status !== 'connecting' && playlist && <span class="kiosk-status-note">显示已保存的公告</span>}
            {welcome && <span class="kiosk-device">{welcome.device.name}</span>}
          </div>
        </footer>
      </div>
    </TownOffset.Provider>
  );
}
