import type { CreatorEventMap, CreatorEventName, EventMap, RoomInfoData } from './events.js';

/**
 * A creator event as it travels on the wire: `{event, data, seq, uniqueId}`. `uniqueId`
 * names the creator (on every socket, so a roster's events can be told apart); `seq` is
 * its position in that creator's stream.
 */
export type CreatorEnvelope<K extends CreatorEventName = CreatorEventName> = {
  [N in K]: { event: N; data: CreatorEventMap[N]; seq: number; uniqueId: string };
}[K];

/** A creator's stream starts (or resumes) on this socket. The first message of a single-creator socket. */
export interface RoomInfoEnvelope {
  event: 'roomInfo';
  data: RoomInfoData;
}

/** A creator's live state as the gateway last checked it: it waits (false) or its roomInfo follows (true). */
export interface LiveStatusData {
  uniqueId: string;
  live: boolean;
  /** Unix milliseconds of the check (or of the stream's end) this status comes from. */
  checkedAt: number;
  /** Why it is not live: "not live", "stream ended", or a lookup's failure. */
  reason?: string;
}

export interface LiveStatusEnvelope {
  event: 'liveStatus';
  data: LiveStatusData;
}

/** The first message of a roster socket: its session (send it back to resume) and its creators. */
export interface RosterInfoData {
  sessionId: string;
  creators: string[];
  /** True when this socket resumed a roster session (it names the creators restored). */
  resumed: boolean;
}

export interface RosterInfoEnvelope {
  event: 'rosterInfo';
  data: RosterInfoData;
}

/** A client's request to change a roster socket's creators. `id` is echoed in the answer. */
export interface RosterAction {
  action: 'subscribe' | 'unsubscribe';
  uniqueId: string;
  id?: string;
}

/** The answer to a subscribe or unsubscribe: the creator, and the roster's creators after it. */
export interface RosterChangeData {
  uniqueId: string;
  creators: string[];
  id?: string;
}

export interface RosterChangeEnvelope {
  event: 'subscribed' | 'unsubscribed';
  data: RosterChangeData;
}

/**
 * Something the gateway could not do, told without closing the socket: a bad client
 * frame, a refused subscribe, or a creator that left the roster (not found). `code` is
 * the close code a single-creator socket would get for the same cause (4400, 4403, 4404,
 * 4429, 4500 ...).
 */
export interface ErrorData {
  code: number;
  message: string;
  /** The action the error answers, when it answers one. */
  action?: string;
  uniqueId?: string;
  id?: string;
}

export interface ErrorEnvelope {
  event: 'error';
  data: ErrorData;
}

/** Anything a client receives. */
export type Envelope = CreatorEnvelope | RoomInfoEnvelope | LiveStatusEnvelope | RosterInfoEnvelope | RosterChangeEnvelope | ErrorEnvelope;

/** A creator event before the gateway gives it a seq (what an upstream produces). */
export type UpstreamEvent<K extends CreatorEventName = CreatorEventName> = {
  [N in K]: { event: N; data: CreatorEventMap[N] };
}[K];

export type EventData<K extends keyof EventMap> = EventMap[K];
