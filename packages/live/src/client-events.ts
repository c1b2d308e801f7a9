import type { CreatorEnvelope, CreatorEventMap, CreatorEventName, RoomInfoData, RoomInfoEnvelope } from '@tiktool/protocol';
import type { TikTokLiveError } from './errors.js';

export interface DisconnectedEvent {
  code: number;
  reason: string;
  /** False when the client stopped for good (final close code, disconnect(), give-up). */
  willReconnect: boolean;
  /**
   * Set when the code and reason alone do not say what went wrong: `ERR_UNREACHABLE`
   * when the gateway could not be reached (the socket never opened), and when the client
   * gives up on reconnecting, the error it stops with (`ERR_UNREACHABLE`,
   * `ERR_RECONNECT_EXHAUSTED`).
   */
  error?: TikTokLiveError;
}

export interface ReconnectingEvent {
  /** 1 for the first reconnect after a connection was established; resets on roomInfo. */
  attempt: number;
  delayMs: number;
}

export interface ResumedEvent {
  /**
   * True when every event missed during the drop was replayed. False means a gap (the
   * history was trimmed, the stream restarted, or the session expired): re-read any
   * state you derive from events (viewer counts, battle scores) instead of trusting it.
   */
  recovered: boolean;
  /** How many missed events the gateway replayed (duplicates among them are dropped). */
  replayed: number;
}

/** Events about the client itself, not the creator's stream. */
export interface LifecycleEventMap {
  /** Every connection's roomInfo, the first and each reconnect's. */
  connected: RoomInfoData;
  disconnected: DisconnectedEvent;
  reconnecting: ReconnectingEvent;
  /** After `connected` on every reconnect that sent a sessionId. */
  resumed: ResumedEvent;
  error: Error;
}

/** Listener arguments of every event a TikTokLive client emits. */
export type ClientEventArgs = {
  [K in CreatorEventName]: [data: CreatorEventMap[K], envelope: CreatorEnvelope<K>];
} & {
  roomInfo: [data: RoomInfoData, envelope: RoomInfoEnvelope];
} & {
  [K in keyof LifecycleEventMap]: [event: LifecycleEventMap[K]];
};

export type ClientEventName = keyof ClientEventArgs;

export type ClientListener<K extends ClientEventName> = (...args: ClientEventArgs[K]) => void;
