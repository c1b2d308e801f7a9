import { CloseCode } from '@tiktool/protocol';
import type { Burst } from './burst.js';
import type { CreatorStream, EntryKind, StreamEntry } from './creator-stream.js';
import { batchFrames, joinedFrames, type Outgoing } from './outgoing.js';

/** What a subscriber needs of the client's WebSocket; the ws WebSocket provides it. */
export interface SubscriberSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  /** Negotiated extensions: there must be none, since frames are written ready-made. */
  readonly extensions: string;
}

/** The byte stream under the WebSocket (the upgraded net.Socket), where frames are written. */
export interface Transport {
  write(data: Buffer, cb?: (err?: Error | null) => void): boolean;
}

const WS_OPEN = 1;

export interface SubscriberOptions {
  /** Above this many unsent bytes the client is closed with 4008. */
  maxQueueBytes: number;
  /** While replaying, at most this many bytes are handed to the socket before waiting for a flush. */
  replayHighWaterBytes: number;
  wants: (entry: EntryKind) => boolean;
  /** Called with the seq of the last event of every frame sent. */
  onSent: (seq: number) => void;
  /** `batch=1`: events leave as JSON arrays, a burst (or a slice of the replay) per frame. */
  batch: boolean;
  transport: Transport;
  /** Closes the whole socket (4008: the client is too slow); see SocketClose. */
  closeSocket: (code: number, reason: string) => void;
  /** The creator's stream is over for this subscriber (retired, or its history restarted), with the code a socket of its own would close with. */
  onEnd: (code: number, reason: string) => void;
}

/**
 * One client socket reading one creator stream (a roster socket has one per creator). It reads by seq: while it catches up
 * (replay) it pulls from the stream's history at the pace the socket drains; once at the
 * head it receives the creator's live bursts. Because both paths advance the same
 * `nextSeq`, the join between replay and live has no gap and no duplicate.
 *
 * Frames are written to the transport ready-made (ws-frame.ts) rather than through
 * WebSocket.send: a burst that a subscriber wants whole goes out as bytes shared by every
 * such subscriber, in one write (per 64 KiB). That is safe because the socket has no
 * extensions, the gateway never fragments a message, and each write holds whole frames,
 * so they interleave with ws's own control frames only at frame boundaries; writing stops
 * once the WebSocket leaves OPEN. ws's bufferedAmount counts these bytes, so the
 * slow-consumer bound holds as before.
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
    if (socket.extensions !== '') throw new Error(`subscriber sockets take no extensions, got "${socket.extensions}"`);
    this.nextSeq = fromSeq;
  }

  /** Starts delivery: replays any history from fromSeq, then goes live. */
  start(): void {
    if (this.nextSeq <= this.stream.head) {
      this.catchingUp = true;
      this.pump();
    }
  }

  /** Delivers the creator's latest burst (while catching up, the replay covers it). */
  flush(burst: Burst): void {
    if (this.closed || this.catchingUp) return;
    const entries = burst.entries;
    // Entries before nextSeq are this subscriber's already (it joined, or caught up, mid-burst).
    let first = 0;
    while (first < entries.length && entries[first].seq < this.nextSeq) first++;
    if (first === entries.length) return;
    let wanted = 0;
    for (let i = first; i < entries.length; i++) if (this.options.wants(entries[i])) wanted++;
    this.nextSeq = entries[entries.length - 1].seq + 1;
    if (wanted === 0) return;
    if (first === 0 && wanted === entries.length) {
      this.writeAll(this.options.batch ? burst.batchFrames() : burst.joinedFrames());
    } else {
      this.writeAll(this.framesOf(entries.slice(first).filter((e) => this.options.wants(e))));
    }
  }

  /** Stops delivering; the socket stays as it is (a roster moves on without this creator). */
  stop(): void {
    this.closed = true;
  }

  /** The creator's stream ended for this subscriber: it stops, and its owner decides what the socket gets. */
  end(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.options.onEnd(code, reason);
  }

  /** True once it delivers nothing more (stopped, ended, or its socket closed). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the whole socket (the client cannot be served without a gap, or is too slow). */
  close(code: number, reason: string): void {
    this.closed = true;
    this.options.closeSocket(code, reason);
  }

  /**
   * Replays history from nextSeq, up to replayHighWaterBytes per turn, continuing when the
   * socket has taken them, until the head.
   */
  private pump(): void {
    const slice: StreamEntry[] = [];
    let handed = 0;
    while (this.nextSeq <= this.stream.head && handed < this.options.replayHighWaterBytes) {
      const entry = this.stream.get(this.nextSeq);
      if (entry === undefined) {
        // History moved past us while we were replaying: a gap we must not hide.
        this.close(CloseCode.SLOW_CONSUMER, 'slow consumer: fell behind the retained history');
        return;
      }
      this.nextSeq++;
      if (!this.options.wants(entry)) continue;
      handed += entry.wire.byteLength;
      slice.push(entry);
    }
    const more = this.nextSeq <= this.stream.head;
    if (!this.writeAll(this.framesOf(slice), more ? this.continuePump : undefined)) return;
    if (!more) this.catchingUp = false;
  }

  private readonly continuePump = (err?: Error | null) => {
    if (!err && !this.closed) this.pump();
  };

  private framesOf(entries: readonly StreamEntry[]): Outgoing[] {
    if (entries.length === 0) return [];
    return this.options.batch ? batchFrames(entries) : joinedFrames(entries);
  }

  /** Writes the frames in order, `cb` after the last; false if the socket did not take them all. */
  private writeAll(frames: readonly Outgoing[], cb?: (err?: Error | null) => void): boolean {
    for (let i = 0; i < frames.length; i++) {
      if (!this.write(frames[i], i === frames.length - 1 ? cb : undefined)) return false;
    }
    return true;
  }

  /** Writes one frame unless the WebSocket is closing, or the client's queue is full (then 4008). */
  private write(f: Outgoing, cb?: (err?: Error | null) => void): boolean {
    if (this.socket.readyState !== WS_OPEN) return false;
    if (this.socket.bufferedAmount + f.wire.byteLength > this.options.maxQueueBytes) {
      this.close(CloseCode.SLOW_CONSUMER, 'slow consumer: send queue full; resume to get the rest');
      return false;
    }
    this.options.transport.write(f.wire, cb);
    this.eventsSent += f.events;
    this.options.onSent(f.lastSeq);
    return true;
  }
}
