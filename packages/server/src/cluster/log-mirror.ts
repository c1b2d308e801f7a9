import type { FeedTarget } from '../hub/feed-target.js';
import { encodeEntry } from '../hub/creator-stream.js';
import type { ChannelRouter } from './channel-router.js';
import { decodeNotice, type Notice } from './notice.js';
import type { RedisLog } from './redis-log.js';

type EventNotice = Extract<Notice, { kind: 'e' }>;

export interface MirrorHooks {
  /** An upstream went live (a node waiting for the owner's upstream looks again). */
  onLive(): void;
  /** The upstream is gone for good, with the owner's close code and reason. */
  onClosed(code: number, reason: string): void;
}

/**
 * Mirrors a creator's Redis log into this node's copy (the FeedTarget): backfill, then the
 * channel's event notices in seq order, resyncing on any gap or epoch change.
 */
export class LogMirror {
  private syncing = true;
  private buffered: EventNotice[] = [];
  private stopped = false;

  constructor(
    private readonly log: RedisLog,
    private readonly router: ChannelRouter,
    private readonly channel: string,
    private readonly target: FeedTarget,
    private readonly hooks: MirrorHooks,
  ) {}

  /** Starts listening; notices buffer until the first resync(). */
  async listen(): Promise<void> {
    await this.router.subscribe(this.channel, (m) => this.onMessage(m));
  }

  stop(): void {
    this.stopped = true;
    void this.router.unsubscribe(this.channel);
  }

  /** Brings the local copy level with the Redis log: backfill, then buffered live notices. */
  async resync(): Promise<void> {
    this.syncing = true;
    try {
      let again = true;
      while (again && !this.stopped) {
        again = false;
        await this.backfill();
        // Synchronous from here: nothing new is buffered while the buffer drains.
        while (this.buffered.length > 0) {
          const pending = this.buffered;
          this.buffered = [];
          for (const n of pending) {
            if (n.epoch === this.target.streamEpoch && n.seq === this.target.streamHead + 1) this.deliver(n);
            else if (n.epoch !== this.target.streamEpoch || n.seq > this.target.streamHead + 1) again = true;
          }
        }
      }
    } finally {
      this.syncing = false;
    }
  }

  private onMessage(message: string): void {
    if (this.stopped) return;
    const n = decodeNotice(message);
    if (n?.kind === 'l') this.hooks.onLive();
    else if (n?.kind === 'c') this.hooks.onClosed(n.code, n.reason);
    else if (n && this.syncing) this.buffered.push(n);
    else if (n) this.apply(n);
  }

  private apply(n: EventNotice): void {
    if (n.epoch === this.target.streamEpoch) {
      if (n.seq <= this.target.streamHead) return;
      if (n.seq === this.target.streamHead + 1) return this.deliver(n);
    }
    void this.resync();
  }

  /** Where a live notice joins this node's copy of the log: the frame is built here, once per node. */
  private deliver(n: EventNotice): void {
    this.target.sequenced({ epoch: n.epoch, entry: encodeEntry(n.seq, n.event, n.data, Date.now(), this.target.uniqueId), data: n.data });
  }

  private async backfill(): Promise<void> {
    let read = await this.log.read(this.target.streamHead + 1);
    if (read.epoch !== this.target.streamEpoch) read = await this.log.read(1);
    const firstSeq = read.entries.length > 0 ? read.entries[0].entry.seq : read.head + 1;
    if (read.epoch !== this.target.streamEpoch || firstSeq !== this.target.streamHead + 1) this.target.resetStream(read.epoch, firstSeq);
    for (const s of read.entries) {
      if (s.entry.seq === this.target.streamHead + 1) this.target.sequenced(s);
    }
  }
}
