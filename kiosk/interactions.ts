/**
 * What the kiosk's screens report about a villager's use of a notice. The app
 * turns each into a receipt (id, sequence number, time, clock trust) in the
 * outbox; screens only say what happened.
 */
import type { InteractionAction, PlaylistItem } from '@protocol';

export interface InteractionInput {
  action: InteractionAction;
  noticeId: string;
  contentHash: string;
  /** 1–5 with action 'rated' (see SATISFACTION_LEVELS), absent otherwise. */
  rating?: number;
  /** Only with a rating. */
  comment?: string;
}

export type RecordInteraction = (interaction: InteractionInput) => void;

/** Called once each time an emergency item takes over the screen; the app sends the acknowledgement. */
export type EmergencyShown = (item: PlaylistItem) => void;
