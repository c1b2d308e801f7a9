import type { CreatorEventName } from '@tiktool/protocol';
import { CloseCode } from '@tiktool/protocol';
import type { CreatorStream, StreamEntry } from './creator-stream.js';

/** What a subscriber needs of its socket; the ws WebSocket provides it. */
export interface SubscriberSocket {
  readonly bufferedAmount: number;
  send(data: Buffer, cb?: (err?: Error) => void): void;
  close(code: number, reason: string): void;
  terminate(): void;
}

/** A client that has not completed the close handshake this long after our close frame is cut off. */
export const CLOSE_HANDSHAKE_TIMEOUT_MS = 5_000;

export interface SubscriberOptions {
  /** Above this many unsent bytes the client is closed with 4008. */
  maxQueueBytes: number;
  /** While replaying, at most this many bytes are handed to the socket before waiting for a flush. */
  replayHighWaterBytes: number;
  wants: (event: CreatorEventName) => boolean;
  /** Called with the seq of every event sent. */
  onSent: (seq: number) => void;
}

/**
 * One client socket reading one creator stream. It reads by seq: while it catches up
 * (replay) it pulls from the stream's history at the pace the socket drains; once at the
 * head it receives live events pushed by the creator. Because both paths advance the same
 * `nextSeq`, the join between replay and live has no gap and no duplicate.
 */
export class Subscriber {
  private nextSeq: number;
  private catchingUp = false;
  private closed = false;
  eventsSent = 0;

  constructor(
    private readonly socket: SubscriberSocket,
    private readonly stream: CreatorStream,
    fromSeq: number,
    private readonly options: SubscriberOptions,
  ) {
    this.nextSeq = fromSeq;
  }

  /** Starts delivery: replays any history from fromSeq, then goes live. */
  start(): void {
    if (this.nextSeq <= this.stream.head) {
      this.catchingUp = true;
      this.pump();
    }
  }

  /** A new event at the head of the stream. */
  push(entry: StreamEntry): void {
    if (this.closed || this.catchingUp || entry.seq < this.nextSeq) return;
    this.nextSeq = entry.seq + 1;
    if (!this.options.wants(entry.event)) return;
    if (this.socket.bufferedAmount + entry.frame.byteLength > this.options.maxQueueBytes) {
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer: send queue full; resume to get the rest');
      return;
    }
    this.socket.send(entry.frame);
    this.sent(entry.seq);
  }

  /** Closes the socket; a client too slow to even read the close frame is cut off. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS).unref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private pump(): void {
    let handed = 0;
    while (!this.closed && this.nextSeq <= this.stream.head) {
      const entry = this.stream.get(this.nextSeq);
      if (entry === undefined) {
        // History moved past us while we were replaying: a gap we must not hide.
        this.close(CloseCode.SLOW_CONSUMER, 'slow consumer: fell behind the retained history');
        return;
      }
      this.nextSeq++;
      if (!this.options.wants(entry.event)) continue;
      handed += entry.frame.byteLength;
      if (handed >= this.options.replayHighWaterBytes) {
        this.socket.send(entry.frame, (err) => {
          if (!err) this.pump();
        });
        this.sent(entry.seq);
        return;
      }
      this.socket.send(entry.frame);
      this.sent(entry.seq);
    }
    this.catchingUp = false;
  }

  private sent(seq: number): void {
    this.eventsSent++;
    this.options.onSent(seq);
  }
}
