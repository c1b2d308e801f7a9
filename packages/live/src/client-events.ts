import type {
  CreatorEnvelope,
  CreatorEventMap,
  CreatorEventName,
  LiveStatusData,
  LiveStatusEnvelope,
  RoomInfoData,
  RoomInfoEnvelope,
} from '@tiktool/protocol';
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
  /** The creator whose position this is (on a roster, each creator resumes on its own). */
  uniqueId: string;
  /**
   * True when every event missed during the drop was replayed. False means a gap (the
   * history was trimmed, the stream restarted, or the session expired): re-read any
   * state you derive from events (viewer counts, battle scores) instead of trusting it.
   */
  recovered: boolean;
  /** How many missed events the gateway replayed (duplicates among them are dropped). */
  replayed: number;
}

/**
 * Events about the client itself, not the creator's stream. On a roster the socket's
 * events (`disconnected`, `reconnecting`) are the roster's; `connected` and `resumed` are
 * per creator: `data.uniqueId` says whose.
 */
export interface LifecycleEventMap {
  /**
   * Every roomInfo: a connection's first and each reconnect's; on a roster (and with
   * `waitForLive`) also each time a creator goes live while the socket is open.
   */
  connected: RoomInfoData;
  disconnected: DisconnectedEvent;
  reconnecting: ReconnectingEvent;
  /**
   * After `connected` when a reconnect resumed the creator from its last position (on a
   * roster, once per creator that had one). Not after a creator goes live again.
   */
  resumed: ResumedEvent;
  error: Error;
}

/** Listener arguments of every event a TikTokLive client emits. */
export type ClientEventArgs = {
  [K in CreatorEventName]: [data: CreatorEventMap[K], envelope: CreatorEnvelope<K>];
} & {
  roomInfo: [data: RoomInfoData, envelope: RoomInfoEnvelope];
  /** A creator is not live and the gateway waits for it (false), or it went live (true; its roomInfo follows). */
  liveStatus: [data: LiveStatusData, envelope: LiveStatusEnvelope];
} & {
  [K in keyof LifecycleEventMap]: [event: LifecycleEventMap[K]];
};

export type ClientEventName = keyof ClientEventArgs;

export type ClientListener<K extends ClientEventName> = (...args: ClientEventArgs[K]) => void;
