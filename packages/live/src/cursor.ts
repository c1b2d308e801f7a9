import type { RoomInfoData } from '@tiktool/protocol';
import type { ResumedEvent } from './client-events.js';

/**
 * The client's position in a creator stream, which makes delivery exactly-once:
 * `lastSeq` is the seq of the last event delivered (or, before any, the stream's seq
 * when the session began), sent on every reconnect, and every event at or below it is
 * a duplicate. Seqs only compare within one `epoch`.
 */
export class StreamCursor {
  #sessionId: string | undefined;
  #epoch: string | undefined;
  #lastSeq: number | undefined;

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  get epoch(): string | undefined {
    return this.#epoch;
  }

  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /**
   * Takes a connection's roomInfo. Returns what a resume achieved, or undefined for the
   * first connection of the session.
   */
  applyRoomInfo(info: RoomInfoData): ResumedEvent | undefined {
    const previousEpoch = this.#epoch;
    if (info.epoch !== previousEpoch) {
      // A new stream (or history lost): old seqs mean nothing. Start where the stream
      // is, or accept everything if the server replays the new epoch's history.
      this.#lastSeq = info.replayed > 0 ? 0 : info.seq;
    }
    this.#epoch = info.epoch;
    this.#sessionId = info.sessionId;
    if (previousEpoch === undefined) return undefined;
    return {
      uniqueId: info.uniqueId,
      recovered: info.resumed && info.recovered && info.epoch === previousEpoch,
      replayed: info.replayed,
    };
  }

  /** True when the event is new (and it becomes the position); false for a duplicate. */
  admit(seq: number): boolean {
    if (this.#lastSeq !== undefined && seq <= this.#lastSeq) return false;
    this.#lastSeq = seq;
    return true;
  }
}
