/**
 * One playlist service for every screen: kiosks, the controller's own LED
 * signs and the signs behind village nodes all get their playlist from here,
 * compiled once per target (village and on-hours) and kept until the notices
 * or the town's settings change — each state write replaces those objects,
 * so an unchanged state is never compiled twice, however often the signs tick.
 */
import { type PlaylistTarget, compilePlaylist } from '../domain/playlist.js';
import type { Playlist } from '../protocol/index.js';
import type { State, StateStore } from '../store/state.js';

export interface PlaylistService {
  /** The playlist of a device or sign in `target`'s village with its on-hours (null: always on). */
  forTarget(target: PlaylistTarget): Playlist;
}

/** Targets with the same village and hours get the same playlist. */
export const playlistKey = (target: PlaylistTarget): string => `${target.villageId} ${JSON.stringify(target.onHours ?? null)}`;

export function createPlaylistService(deps: { store: StateStore; now: () => number }): PlaylistService {
  let compiledFrom: { notices: State['notices']; settings: State['settings'] } | null = null;
  const cache = new Map<string, Playlist>();
  return {
    forTarget(target) {
      const state = deps.store.read();
      if (compiledFrom?.notices !== state.notices || compiledFrom.settings !== state.settings) {
        compiledFrom = { notices: state.notices, settings: state.settings };
        cache.clear();
      }
      const key = playlistKey(target);
      let playlist = cache.get(key);
      if (!playlist) {
        playlist = compilePlaylist(state.notices, target, deps.now(), {
          rotationBoundsSec: state.settings.rotationBoundsSec,
          emergencyTakeover: state.settings.emergencyTakeover,
        });
        cache.set(key, playlist);
      }
      return playlist;
    },
  };
}
