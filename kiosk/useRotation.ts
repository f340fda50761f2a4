/**
 * Drives the pure rotation ({@link tick}) from a one-second timer, playlist
 * changes, touches and page hiding, and hands every ended segment to
 * `onSegment` (which turns it into a display receipt).
 */
import { type Playlist, type PlaylistItem, activeItems } from '@protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  type RotationState,
  type Segment,
  type Step,
  checkpoint,
  initialRotation,
  move,
  positionOf,
  present,
  resume,
  tick,
} from './rotation';

export interface RotationDeps {
  firstReceiptAfterMs: number | null;
  onSegment: (segment: Segment) => void;
  now: () => number;
  /** While true the cards are hidden (browsing): nothing advances and nothing is reported, but `now` keeps ticking. */
  paused?: boolean;
}

export interface RotationView {
  now: number;
  item: PlaylistItem | null;
  /** 1-based position of `item` among the active items. */
  position: number;
  total: number;
  /** When the card on screen appeared (restarts the card's progress bar). */
  cardSince: number;
  next: () => void;
  previous: () => void;
}

type Stepper = (state: RotationState, active: PlaylistItem[], now: number) => Step;

const versionKey = (item: PlaylistItem): string => `${item.noticeId}:${item.contentHash}`;

/** Keeps the state as it is (paused): only the clock and the active list are refreshed. */
const hold: Stepper = (state) => ({ state, segments: [] });

export function useRotation(playlist: Playlist | null, deps: RotationDeps): RotationView {
  const stateRef = useRef<RotationState>(initialRotation);
  /** Notice versions in the previous playlist; null before the first one. */
  const seenRef = useRef<ReadonlySet<string> | null>(null);
  const playlistRef = useRef(playlist);
  playlistRef.current = playlist;
  const depsRef = useRef(deps);
  depsRef.current = deps;
  const [view, setView] = useState<{ now: number; active: PlaylistItem[]; state: RotationState }>(() => ({
    now: deps.now(),
    active: [],
    state: initialRotation,
  }));

  const apply = useCallback((stepper: Stepper) => {
    const now = depsRef.current.now();
    const current = playlistRef.current;
    const active = current ? activeItems(current, now) : [];
    const { state, segments } = stepper(stateRef.current, active, now);
    stateRef.current = state;
    for (const segment of segments) depsRef.current.onSegment(segment);
    setView({ now, active, state });
  }, []);

  const advance = useCallback<Stepper>(
    (state, active, now) => tick(state, active, now, { firstReceiptAfterMs: depsRef.current.firstReceiptAfterMs }),
    [],
  );

  const pausedRef = useRef(deps.paused ?? false);

  // Hiding the cards closes the segment on screen; showing them again starts the card afresh (or the
  // next one, if its notice left meanwhile). Runs before the playlist effect, which then sees the new state.
  const paused = deps.paused ?? false;
  useEffect(() => {
    if (pausedRef.current === paused) return;
    pausedRef.current = paused;
    apply((state, active, now) => {
      if (paused) return checkpoint(state, now);
      const resumed = resume(state, now);
      return advance(resumed.state, active, now);
    });
  }, [paused, apply, advance]);

  // A new playlist is evaluated at once: a withdrawn notice leaves the screen now, and a newly
  // published one comes on screen now rather than when its turn comes.
  useEffect(() => {
    const seen = seenRef.current;
    seenRef.current = playlist ? new Set(playlist.items.map(versionKey)) : null;
    if (pausedRef.current) return apply(hold);
    apply((state, active, now) => {
      const fresh = seen ? active.findIndex((item) => !seen.has(versionKey(item))) : -1;
      return fresh >= 0 ? present(state, active, now, fresh) : advance(state, active, now);
    });
  }, [playlist, apply, advance]);

  useEffect(() => {
    const timer = setInterval(() => apply(pausedRef.current ? hold : advance), 1000);
    const onHide = (): void => apply((state, _active, now) => (pausedRef.current ? hold(state, _active, now) : checkpoint(state, now)));
    window.addEventListener('pagehide', onHide);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pagehide', onHide);
    };
  }, [apply, advance]);

  const index = positionOf(view.state.showing, view.active);
  return {
    now: view.now,
    item: view.active[index] ?? null,
    position: index + 1,
    total: view.active.length,
    cardSince: view.state.showing?.cardSince ?? view.now,
    next: () => apply((state, active, now) => move(state, active, now, 1)),
    previous: () => apply((state, active, now) => move(state, active, now, -1)),
  };
}
