import type { RoomSnapshot } from '@tiktool/webcast';

/** A creator's live state as the live checker last saw it. */
export interface LiveStatus {
  uniqueId: string;
  live: boolean;
  /** False for a name TikTok does not know (then `live` is false too). */
  exists: boolean;
  /** Unix milliseconds of the check (or of the stream's end) this status comes from. */
  checkedAt: number;
  /** Why the creator is not live ("not live", "stream ended", a lookup's failure). */
  reason: string | undefined;
  /** The room, when live. */
  room: RoomSnapshot | undefined;
}

export type LiveStatusListener = (status: LiveStatus) => void;

/**
 * Watches creators' live state for whoever needs it (waiting sockets, webhooks): one
 * check per creator at a time across the node (or cluster) however many watch it. A
 * listener hears the first status and then every change (offline -> live, live ->
 * offline, exists -> missing).
 */
export interface LiveWatch {
  /** Starts watching; the returned function stops this listener (the last one stops the checks). */
  watch(uniqueId: string, listener: LiveStatusListener): () => void;
  /** The creator's stream ended (its upstream saw streamEnd): watchers hear live: false now, not at the next check. */
  ended(uniqueId: string): void;
  /** The creator was found live some other way (a socket's connect succeeded): watchers hear live: true now. */
  wentLive(uniqueId: string, room: RoomSnapshot): void;
  close(): void;
}
