import type { LiveStatusData, RoomInfoData } from '@tiktool/protocol';
import { StreamCursor } from './cursor.js';

/**
 * What the client knows of one creator it follows: its position in the creator's stream
 * (what makes delivery exactly-once), its last roomInfo and live status, and where it
 * stands on the current socket.
 */
export class CreatorTrack {
  readonly cursor = new StreamCursor();
  roomInfo: RoomInfoData | undefined;
  liveStatus: LiveStatusData | undefined;
  /** Its roomInfo arrived on the current socket: its events are valid. */
  ready = false;
  /** The current socket resumed it from a position: its next roomInfo says whether the gap was filled. */
  resuming = false;

  constructor(readonly uniqueId: string) {}

  /** A new socket: nothing of this creator has arrived on it yet. */
  newSocket(resuming: boolean): void {
    this.ready = false;
    this.resuming = resuming && this.cursor.lastSeq !== undefined;
  }

  /** What a user may read of it. */
  snapshot(): CreatorStatus {
    return {
      uniqueId: this.uniqueId,
      live: this.ready ? true : this.liveStatus?.live,
      liveStatus: this.liveStatus,
      roomInfo: this.roomInfo,
      lastSeq: this.cursor.lastSeq,
      epoch: this.cursor.epoch,
    };
  }
}

/** One followed creator, as `client.creator(uniqueId)` reports it. */
export interface CreatorStatus {
  uniqueId: string;
  /** True while its LIVE streams to this client; false while the gateway waits for it; undefined before the first word. */
  live: boolean | undefined;
  /** The last `liveStatus` the gateway sent for it. */
  liveStatus: LiveStatusData | undefined;
  /** Its last roomInfo (of this LIVE, or the last one). */
  roomInfo: RoomInfoData | undefined;
  /** Seq of its last event delivered; what a reconnect resumes from. */
  lastSeq: number | undefined;
  epoch: string | undefined;
}
