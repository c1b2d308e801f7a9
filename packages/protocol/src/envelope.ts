import type { CreatorEventMap, CreatorEventName, EventMap, RoomInfoData } from './events.js';

/** A creator event as it travels on the wire: `{event, data, seq}`. */
export type CreatorEnvelope<K extends CreatorEventName = CreatorEventName> = {
  [N in K]: { event: N; data: CreatorEventMap[N]; seq: number };
}[K];

export interface RoomInfoEnvelope {
  event: 'roomInfo';
  data: RoomInfoData;
}

/** Anything a client receives. roomInfo is always the first message of a connection. */
export type Envelope = CreatorEnvelope | RoomInfoEnvelope;

/** A creator event before the gateway gives it a seq (what an upstream produces). */
export type UpstreamEvent<K extends CreatorEventName = CreatorEventName> = {
  [N in K]: { event: N; data: CreatorEventMap[N] };
}[K];

export type EventData<K extends keyof EventMap> = EventMap[K];
