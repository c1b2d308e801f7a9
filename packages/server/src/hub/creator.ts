import { CloseCode } from '@tiktool/protocol';
import type { RoomSnapshot, UpstreamConnection, UpstreamError } from '@tiktool/webcast';
import { Burst } from './burst.js';
import { CreatorStream, type CreatorStreamLimits, type StreamEntry } from './creator-stream.js';
import type { FeedTarget } from './feed-target.js';
import type { Sequenced } from './log.js';
import type { Subscriber } from './subscriber.js';

const NO_TOTAL_LIKES = /"totalLikes":0[,}]/;

export interface CreatorOptions extends CreatorStreamLimits {
  lingerMs: number;
  idleTimeoutMs: number;
}

export interface CreatorHooks {
  /** The creator is done (ended, failed, idle, or no subscribers after the linger). */
  onRetired(creator: Creator): void;
  onEvent?(creator: Creator, entry: StreamEntry): void;
  onUpstreamReconnecting?(creator: Creator, error: UpstreamError, attempt: number): void;
}

/**
 * One creator as the gateway sees it: its single upstream, this node's copy of its log,
 * and the subscribers reading it. Everything flows one way: upstream -> log -> stream ->
 * subscribers. Events arrive already sequenced (FeedTarget), by this node's memory log or,
 * in a cluster, by the shared Redis log whose owner may be another node.
 */
export class Creator implements FeedTarget {
  private currentStream: CreatorStream;
  readonly subscribers = new Set<Subscriber>();
  private snapshot: RoomSnapshot | undefined;
  /**
   * The data JSON of the latest like and roomUserSeq. Parsed only when a roomInfo reads
   * the room, not for every event on the hot path.
   */
  private latestLike: string | undefined;
  private latestViewers: string | undefined;
  private upstream: UpstreamConnection | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private retired = false;
  /** The close code it retired with (STREAM_END when the LIVE ended). */
  private retiredWith: number | undefined;
  /** Seq of the first event the current upstream delivered; undefined until it delivers one. */
  private upstreamFirstSeq: number | undefined;
  /** Events published in this turn of the event loop, flushed to the subscribers at its end. */
  private burst: Burst | undefined;

  constructor(
    readonly uniqueId: string,
    private readonly options: CreatorOptions,
    private readonly hooks: CreatorHooks,
  ) {
    this.currentStream = new CreatorStream(uniqueId, options);
  }

  /** The room as a roomInfo describes it, its counters as of the latest events. */
  get room(): RoomSnapshot | undefined {
    if (this.snapshot) this.applyLatestCounters(this.snapshot);
    return this.snapshot;
  }

  get stream(): CreatorStream {
    return this.currentStream;
  }

  get streamEpoch(): string {
    return this.currentStream.epoch;
  }

  get streamHead(): number {
    return this.currentStream.head;
  }

  /** The current upstream's first event has this seq. */
  upstreamStarts(seq: number): void {
    this.upstreamFirstSeq = seq;
  }

  /**
   * Where a new session starts reading: the head, or, for the clients whose connection
   * opened the upstream, its first event, so they get the first fetch's messages too.
   */
  joinSeq(opened: boolean): number {
    const live = this.currentStream.head + 1;
    if (!opened || this.upstreamFirstSeq === undefined) return live;
    return Math.min(live, Math.max(this.upstreamFirstSeq, this.currentStream.oldestSeq));
  }

  /** Called once the upstream is connected. */
  attachUpstream(connection: UpstreamConnection): void {
    if (this.retired) {
      connection.close();
      return;
    }
    this.upstream = connection;
    this.snapshot = { ...connection.room };
    this.resetIdle();
    if (this.subscribers.size === 0) this.startLinger();
  }

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0 && this.upstream) this.startLinger();
  }

  sequenced({ entry, data }: Sequenced): void {
    if (this.retired) return;
    // A like without a total must not hide an earlier total not yet read.
    if (entry.event === 'like' && !NO_TOTAL_LIKES.test(data)) this.latestLike = data;
    else if (entry.event === 'roomUserSeq') this.latestViewers = data;
    this.currentStream.put(entry);
    this.publish(entry);
  }

  resetStream(epoch: string, firstSeq: number): void {
    // Subscribers read positions of the old stream; their resume is told recovered=false.
    for (const s of this.subscribers) s.end(CloseCode.SERVICE_RESTART, 'stream history restarted; resume');
    this.subscribers.clear();
    this.burst = undefined;
    this.currentStream = new CreatorStream(this.uniqueId, this.options, epoch, firstSeq);
  }

  ended(code: number, reason: string): void {
    this.retire(code, reason);
  }

  private publish(entry: StreamEntry): void {
    this.hooks.onEvent?.(this, entry);
    if (this.burst === undefined) {
      const burst = new Burst();
      this.burst = burst;
      // After the I/O callbacks of this turn: one upstream frame's events go out together.
      setImmediate(() => this.flush(burst));
    }
    this.burst.entries.push(entry);
    this.resetIdle();
  }

  private flush(burst: Burst): void {
    // A burst dropped by resetStream holds events of the old stream: they go nowhere.
    if (this.burst !== burst) return;
    this.burst = undefined;
    for (const s of this.subscribers) s.flush(burst);
  }

  reconnecting(error: UpstreamError, attempt: number): void {
    this.hooks.onUpstreamReconnecting?.(this, error, attempt);
  }

  /** Ends every subscriber with the code, stops the upstream, and leaves the hub. */
  retire(code: number, reason: string): void {
    if (this.retired) return;
    this.retired = true;
    this.retiredWith = code;
    clearTimeout(this.lingerTimer);
    clearTimeout(this.idleTimer);
    // Events still waiting for the end of this turn (streamEnd among them) go out before the close.
    if (this.burst) this.flush(this.burst);
    for (const s of this.subscribers) s.end(code, reason);
    this.subscribers.clear();
    this.upstream?.close();
    this.upstream = undefined;
    this.hooks.onRetired(this);
  }

  get isRetired(): boolean {
    return this.retired;
  }

  get closeCode(): number | undefined {
    return this.retiredWith;
  }

  private applyLatestCounters(room: RoomSnapshot): void {
    if (this.latestViewers !== undefined) {
      room.viewerCount = (JSON.parse(this.latestViewers) as { viewerCount: number }).viewerCount;
      this.latestViewers = undefined;
    }
    if (this.latestLike !== undefined) {
      const { totalLikes } = JSON.parse(this.latestLike) as { totalLikes: number };
      if (totalLikes > 0) room.likeCount = totalLikes;
      this.latestLike = undefined;
    }
  }

  private startLinger(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => this.retire(CloseCode.NORMAL, 'no subscribers'), this.options.lingerMs);
    this.lingerTimer.unref();
  }

  private resetIdle(): void {
    // refresh() restarts the timer in place: no new timer per event.
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(
      () => this.retire(CloseCode.UPSTREAM_IDLE, 'no upstream events within the idle timeout'),
      this.options.idleTimeoutMs,
    );
    this.idleTimer.unref();
  }
}
