import { CloseCode, fullJitterDelay, type LiveStatusData, type RoomInfoData } from '@tiktool/protocol';
import { UpstreamError } from '@tiktool/webcast';
import { ROSTER_RETRY_BASE_MS, ROSTER_RETRY_MAX_MS } from '../defaults.js';
import { closeFor } from '../errors/error-map.js';
import type { Creator } from '../hub/creator.js';
import type { EntryKind } from '../hub/creator-stream.js';
import type { Hub } from '../hub/hub.js';
import type { CreatorPosition } from '../hub/session.js';
import { Subscriber, type SubscriberSocket, type Transport } from '../hub/subscriber.js';
import type { SocketLease } from '../limits/limiter.js';
import type { LiveStatus, LiveWatch } from '../live/live-status.js';
import type { FollowState } from '../metrics/gateway-metrics.js';
import { planResume, type ResumePlan } from './resume-plan.js';

/** What a follow needs of its socket (the Roster). */
export interface FollowSocket {
  readonly hub: Hub;
  readonly live: LiveWatch;
  /** The socket waits for creators that are not live (a roster, or waitForLive=1); otherwise it closes with today's codes. */
  readonly waits: boolean;
  /** A roster asks the live watch first: many waiting sockets then cost one check per creator, not a connect each. */
  readonly watchFirst: boolean;
  /** The socket resumed a session (its roomInfos say resumed). */
  readonly resuming: boolean;
  readonly sessionId: string;
  readonly subscriberOptions: { maxQueueBytes: number; replayHighWaterBytes: number; batch: boolean; transport: Transport };
  readonly socket: SubscriberSocket;
  /** The socket's filter (events=, gifts=), on the hot path: called per event per subscriber. */
  readonly wants: (entry: EntryKind) => boolean;
  send(message: object): void;
  close(code: number, reason: string): void;
  /** The socket cannot go on for this error (a single socket that does not wait): it closes with the error's code. */
  fail(err: unknown): void;
  /** The creator does not exist: it leaves the roster (or the socket closes). */
  notFound(follow: Follow, message: string): void;
  /** An error the client should hear about this creator, which stays followed. */
  reportError(uniqueId: string, err: unknown): void;
  stateChanged(from: FollowState | undefined, to: FollowState | undefined): void;
  resumed(recovered: boolean): void;
  /** A subscriber stopped: its count of events sent moves to the socket's total. */
  retired(subscriber: Subscriber): void;
}

type State = 'idle' | 'joining' | 'streaming' | 'waiting' | 'retrying' | 'gone';

/**
 * One creator of one socket, from the moment it is followed until it leaves: it streams
 * while the creator is live, and otherwise (on a socket that waits) watches its live
 * state and starts again when it goes live: liveStatus false, then true, roomInfo and
 * events. A single-creator socket is a roster of one whose creator, when it cannot stream,
 * closes the socket with the code it always has (4404, 4005 ...) unless it waits.
 */
export class Follow {
  private state: State = 'idle';
  private subscriber: Subscriber | undefined;
  private creator: Creator | undefined;
  private unwatch: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Upstream failures in a row, for the retry backoff. */
  private failures = 0;
  /** The client was told this creator is not live, and not told since that it is. */
  private toldOffline = false;
  /** When a connect last found the creator offline: a live status older than that is stale. */
  private offlineAt = 0;
  /** The client's own resume position (lastSeq / lastSeqs), for the first stream on this socket only. */
  private lastSeq: number | undefined;
  private streamedHere = false;

  constructor(
    private readonly socket: FollowSocket,
    readonly uniqueId: string,
    private readonly position: CreatorPosition,
    /** The creator slot this roster entry holds (none for a single socket: its socket lease holds it). */
    private readonly lease: SocketLease | undefined,
    lastSeq: number | undefined,
  ) {
    this.lastSeq = lastSeq;
  }

  /** Events sent by the current subscription (the socket keeps the count of earlier ones). */
  get eventsSent(): number {
    return this.subscriber?.eventsSent ?? 0;
  }

  start(): void {
    const live = this.socket.hub.get(this.uniqueId);
    if (this.socket.watchFirst && !(live && !live.isRetired)) this.wait();
    else this.join();
  }

  /** Stops following: the subscription ends and the creator's slot is freed; the socket stays as it is. */
  leave(): void {
    if (this.state === 'gone') return;
    this.stopStreaming();
    this.stopWaiting();
    this.setState('gone');
    void this.lease?.release();
  }

  private join(): void {
    this.setState('joining');
    this.socket.hub.acquire(this.uniqueId).then(
      ({ creator, opened }) => {
        if (this.state === 'joining') this.stream(creator, opened);
      },
      (err: unknown) => {
        if (this.state === 'joining') this.failed(err);
      },
    );
  }

  private stream(creator: Creator, opened: boolean): void {
    // It retired between the acquire and now: the next acquire opens it again (or says why not).
    if (creator.isRetired) return this.join();
    const plan = planResume({
      resuming: this.socket.resuming,
      found: this.position,
      lastSeq: this.lastSeq,
      stream: creator.stream,
      joinSeq: creator.joinSeq(opened),
    });
    this.lastSeq = undefined;
    this.failures = 0;
    const first = !this.streamedHere;
    this.streamedHere = true;
    if (this.toldOffline) this.tell({ uniqueId: this.uniqueId, live: true, checkedAt: Date.now() });
    this.toldOffline = false;
    this.socket.send({ event: 'roomInfo', data: this.roomInfo(creator, plan) });
    if (first && this.socket.resuming) this.socket.resumed(plan.recovered);
    const position = plan.position;
    const subscriber = new Subscriber(this.socket.socket, creator.stream, plan.fromSeq, {
      ...this.socket.subscriberOptions,
      wants: this.socket.wants,
      onSent: (seq) => {
        position.lastSentSeq = seq;
      },
      closeSocket: (code, reason) => this.socket.close(code, reason),
      onEnd: (code, reason) => this.ended(subscriber, code, reason),
    });
    this.subscriber = subscriber;
    this.creator = creator;
    creator.add(subscriber);
    this.setState('streaming');
    subscriber.start();
  }

  /** The creator's stream is over for this subscriber: the socket closes, or this creator waits again. */
  private ended(subscriber: Subscriber, code: number, reason: string): void {
    if (this.subscriber !== subscriber) return;
    // The creator drops its subscribers itself as it ends them.
    this.stopStreaming(false);
    if (code === CloseCode.GOING_AWAY || !this.socket.waits) return this.socket.close(code, reason);
    // The stream's history restarted: the creator is still live; it continues in the new stream.
    if (code === CloseCode.SERVICE_RESTART) return this.join();
    this.offlineAt = Date.now();
    this.tellOffline(Date.now(), code === CloseCode.STREAM_END ? 'stream ended' : reason);
    if (code === CloseCode.STREAM_END) this.wait();
    else this.retryLater();
  }

  private failed(err: unknown): void {
    const code = err instanceof UpstreamError ? err.code : undefined;
    if (code === 'USER_NOT_FOUND') return this.socket.notFound(this, closeFor(err).reason);
    if (!this.socket.waits) return this.socket.fail(err);
    if (code === 'OFFLINE') {
      this.offlineAt = Date.now();
      this.tellOffline(this.offlineAt, 'not live');
      return this.wait();
    }
    this.socket.reportError(this.uniqueId, err);
    this.retryLater();
  }

  /** Watches the creator's live state; the first status comes at once or after its first check. */
  private wait(): void {
    this.setState('waiting');
    const watching = this.socket.live.watch(this.uniqueId, (status) => {
      // A listener may be called inside watch(): handle it once the watch is set up.
      queueMicrotask(() => {
        if (this.unwatch === watching) this.heard(status);
      });
    });
    this.unwatch = watching;
  }

  private heard(status: LiveStatus): void {
    if (this.state !== 'waiting') return;
    if (!status.exists) return this.socket.notFound(this, `creator ${this.uniqueId} not found`);
    if (!status.live) return this.tellOffline(status.checkedAt, status.reason ?? 'not live');
    this.stopWaiting();
    // A live status older than the connect that found the creator offline: look again later, not now.
    if (status.checkedAt < this.offlineAt) this.retryLater();
    else this.join();
  }

  /** After an upstream failure: back to waiting after a backoff, so a failing creator is not retried in a loop. */
  private retryLater(): void {
    this.setState('retrying');
    const delay =
      ROSTER_RETRY_BASE_MS / 2 + fullJitterDelay(++this.failures, { baseDelayMs: ROSTER_RETRY_BASE_MS, maxDelayMs: ROSTER_RETRY_MAX_MS });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === 'retrying') this.wait();
    }, delay);
    this.retryTimer.unref();
  }

  private tellOffline(checkedAt: number, reason: string): void {
    if (this.toldOffline) return;
    this.toldOffline = true;
    this.tell({ uniqueId: this.uniqueId, live: false, checkedAt, reason });
  }

  private tell(status: LiveStatusData): void {
    this.socket.send({ event: 'liveStatus', data: status });
  }

  private stopStreaming(removeFromCreator = true): void {
    const subscriber = this.subscriber;
    if (!subscriber) return;
    subscriber.stop();
    if (removeFromCreator) this.creator?.remove(subscriber);
    this.socket.retired(subscriber);
    this.subscriber = undefined;
    this.creator = undefined;
  }

  private stopWaiting(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(to: State): void {
    const from = this.state;
    this.state = to;
    this.socket.stateChanged(metered(from), metered(to));
  }

  private roomInfo(creator: Creator, plan: ResumePlan): RoomInfoData {
    const stream = creator.stream;
    const room = creator.room;
    return {
      sessionId: this.socket.sessionId,
      uniqueId: creator.uniqueId,
      roomId: room?.roomId ?? '',
      title: room?.title ?? '',
      viewerCount: room?.viewerCount ?? 0,
      likeCount: room?.likeCount ?? 0,
      epoch: stream.epoch,
      seq: stream.head,
      resumed: this.socket.resuming,
      recovered: this.socket.resuming && plan.recovered,
      replayed: stream.countAfter(plan.fromSeq - 1, this.socket.wants),
    };
  }
}

/** The states the followed-creators gauge counts. */
function metered(state: State): FollowState | undefined {
  if (state === 'streaming') return 'streaming';
  if (state === 'waiting' || state === 'retrying') return 'waiting';
  return undefined;
}
