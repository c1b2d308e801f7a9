/**
 * One creator's upstream: resolve the room, take the first fetch, open the push
 * WebSocket, keep it alive, decode and deliver. On a drop it reconnects with full-jitter
 * backoff from the last cursor and internal_ext, reusing the signed connection data
 * (no sign call) until the push server rejects it, and drops msgIds it has already
 * delivered, so the sink sees no gap and no duplicate.
 */

import { fullJitterDelay, type UpstreamEvent } from '@tiktool/protocol';
import { ackFrame, heartbeatFrame, imEnterRoomFrame } from './client-frames.js';
import { sleep } from './clock.js';
import { PUSH_SOCKET_PARAMS } from './defaults.js';
import { FrameDecoder, type DecodeStats } from './decode/frame-decoder.js';
import { CONTROL_ENDED } from './decode/messages/control.js';
import { firstFetch, type FirstFetch } from './first-fetch.js';
import { tiktokCookie, type ResolvedOptions } from './options.js';
import { PushSocket } from './push-socket.js';
import { RecentIds } from './recent-ids.js';
import { fetchRoomSnapshot } from './room-info.js';
import { resolveRoomId } from './room-resolver.js';
import type { RoutePool } from './route-pool.js';
import type { SignBudget } from './sign-budget.js';
import type { UpstreamRoute } from './upstream-route.js';
import { UpstreamError, type ResumePoint, type RoomSnapshot, type UpstreamConnection, type UpstreamSink } from './upstream.js';

export interface ConnectionStats extends DecodeStats {
  /** Events handed to the sink. */
  delivered: number;
  /** Events dropped because their msgId was already delivered. */
  duplicates: number;
  /** Successful reconnects after a drop. */
  reconnects: number;
  heartbeatsSent: number;
  acksSent: number;
  /** First fetches (sign provider calls, or direct fetches). */
  firstFetches: number;
}

/** Where the push socket continues from; advanced by every `msg` frame. */
interface PushState {
  pushServer: string;
  routeParams: Record<string, string>;
  cursor: string;
  internalExt: string;
  cookie: string;
}

export class WebcastConnection implements UpstreamConnection {
  readonly stats: ConnectionStats;
  private readonly decoder = new FrameDecoder();
  private readonly recent: RecentIds;
  private readonly abort = new AbortController();
  private socket: PushSocket | undefined;
  private push!: PushState;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private heartbeatSeq = 0;
  /** Set once the sink got closed(), or close() was called: nothing more reaches the sink. */
  private finished = false;
  /** Reconnect attempts since the last frame received. */
  private attempts = 0;
  private _room!: RoomSnapshot;
  /** The way out to TikTok, kept for the life of the upstream (unless TikTok blocks it). */
  private route: UpstreamRoute | undefined;

  private constructor(
    readonly uniqueId: string,
    private readonly sink: UpstreamSink,
    private readonly o: ResolvedOptions,
    private readonly routes: RoutePool,
    private readonly budget: SignBudget,
    private readonly onFinished: (c: WebcastConnection) => void,
  ) {
    this.recent = new RecentIds(o.dedupWindow);
    this.stats = Object.assign(this.decoder.stats, {
      delivered: 0,
      duplicates: 0,
      reconnects: 0,
      heartbeatsSent: 0,
      acksSent: 0,
      firstFetches: 0,
    });
  }

  get room(): RoomSnapshot {
    return this._room;
  }

  get closed(): boolean {
    return this.finished;
  }

  /** A connection that has not started; start() connects it. */
  static create(
    uniqueId: string,
    sink: UpstreamSink,
    o: ResolvedOptions,
    routes: RoutePool,
    budget: SignBudget,
    onFinished: (c: WebcastConnection) => void,
  ): WebcastConnection {
    return new WebcastConnection(uniqueId, sink, o, routes, budget, onFinished);
  }

  /**
   * Resolves the room, takes the first fetch and opens the push socket, through the
   * least used route that is not backing off; when TikTok blocks that route (or a proxy
   * fails) it is benched and the next one is tried. Rejects with an UpstreamError (and
   * releases everything) when every route failed or close() is called.
   */
  async start(resumeFrom?: ResumePoint): Promise<void> {
    const tried = new Set<UpstreamRoute>();
    let lastError: UpstreamError | undefined;
    try {
      for (;;) {
        this.route = this.routes.take(tried);
        if (!this.route) throw lastError ?? this.everyRouteBenched();
        tried.add(this.route);
        try {
          await this.connectOnce(resumeFrom);
          this.routes.succeeded(this.route);
          return;
        } catch (err) {
          if (this.finished || !this.movesOn(err)) throw err;
          this.routes.bench(this.route, err);
          this.routes.release(this.route);
          this.route = undefined;
          lastError = err;
        }
      }
    } catch (err) {
      this.shutdown();
      throw err;
    }
  }

  private async connectOnce(resumeFrom?: ResumePoint): Promise<void> {
    const signal = this.abort.signal;
    const http = this.route!.http;
    const { roomId } = await resolveRoomId(this.uniqueId, this.o, http, signal);
    this._room = await fetchRoomSnapshot(this.uniqueId, roomId, this.o, http, signal);
    const first = await this.fetchFirst(resumeFrom?.cursor ?? '', resumeFrom?.internalExt);
    // Before the push socket opens: its first frames (which may resend the last of
    // these) can arrive before openSocket() returns, and must not overtake them. A retry
    // through another route fetches them again; the msgId window drops the repeats.
    this.deliver(first.events);
    await this.openSocket();
    if (this.finished) throw new UpstreamError('NETWORK', 'upstream closed while connecting');
  }

  /** A block moves the creator to another route; so does any network failure through a proxy. */
  private movesOn(err: unknown): err is UpstreamError {
    if (!(err instanceof UpstreamError)) return false;
    return err.code === 'BLOCKED' || (err.code === 'NETWORK' && this.route?.wsAgent !== undefined);
  }

  private everyRouteBenched(): UpstreamError {
    const s = this.routes.secondsUntilAvailable();
    const what =
      this.o.proxies.length === 0
        ? "TikTok blocked this gateway's address recently"
        : `all ${this.routes.size} proxies failed recently (blocked or unreachable)`;
    return new UpstreamError('BLOCKED', `${what}: backing off; retry after ${s} s`);
  }

  resumePoint(): ResumePoint {
    return { cursor: this.push?.cursor ?? '', internalExt: this.push?.internalExt ?? '' };
  }

  private async fetchFirst(cursor: string, internalExt?: string): Promise<FirstFetch> {
    this.stats.firstFetches++;
    const first = await firstFetch(this._room.roomId, cursor, this.o, this.route!.http, this.decoder, this.budget, this.abort.signal);
    const h = first.head;
    this.push = {
      pushServer: h.pushServer,
      routeParams: h.routeParams,
      // Keep our own position when we have one: the provider's may be ahead of what we delivered.
      cursor: cursor !== '' ? cursor : h.cursor,
      internalExt: internalExt ?? (cursor !== '' && this.push ? this.push.internalExt : h.internalExt),
      cookie: first.cookie,
    };
    return first;
  }

  private pushUrl(): string {
    const url = new URL(this.push.pushServer);
    const p = url.searchParams;
    for (const [k, v] of Object.entries(PUSH_SOCKET_PARAMS)) p.set(k, v);
    for (const [k, v] of Object.entries(this.push.routeParams)) p.set(k, v);
    p.set('room_id', this._room.roomId);
    p.set('cursor', this.push.cursor);
    p.set('internal_ext', this.push.internalExt);
    return url.toString();
  }

  private async openSocket(): Promise<void> {
    const headers: Record<string, string> = { 'User-Agent': this.o.userAgent };
    const cookie = tiktokCookie(this.o, this.push.cookie);
    if (cookie) headers.Cookie = cookie;
    const socket = await PushSocket.open(
      this.pushUrl(),
      headers,
      { frame: (data) => this.onFrame(data), closed: (error) => this.onDrop(error) },
      this.o.requestTimeoutMs,
      this.route!.wsAgent,
    );
    if (this.finished) {
      socket.close();
      return;
    }
    this.socket = socket;
    this.lastFrameAt = Date.now();
    this.heartbeatSeq = 0;
    socket.send(imEnterRoomFrame(this._room.roomId, this.push.cursor));
    this.startTimers();
  }

  private startTimers(): void {
    this.stopTimers();
    this.heartbeatTimer = setInterval(() => {
      this.socket?.send(heartbeatFrame(this._room.roomId, ++this.heartbeatSeq));
      this.stats.heartbeatsSent++;
    }, this.o.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
    const checkEvery = Math.max(10, Math.floor(this.o.staleTimeoutMs / 4));
    this.staleTimer = setInterval(() => {
      const silent = Date.now() - this.lastFrameAt;
      if (silent >= this.o.staleTimeoutMs) {
        this.socket?.abort(new UpstreamError('NETWORK', `no frame from the push server for ${silent} ms`));
      }
    }, checkEvery);
    this.staleTimer.unref();
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.staleTimer);
    this.heartbeatTimer = undefined;
    this.staleTimer = undefined;
  }

  private onFrame(data: Buffer): void {
    if (this.finished) return;
    this.lastFrameAt = Date.now();
    const frame = this.decoder.decodeFrame(data);
    if (!frame) return;
    this.attempts = 0;
    const head = frame.fetch;
    if (!head) return;
    if (head.needAck && frame.logId !== '0') {
      this.socket?.send(ackFrame(frame.logId, head.internalExt));
      this.stats.acksSent++;
    }
    // The position moves past a frame only once its events are delivered, so resumePoint()
    // never skips an event the sink has not been given.
    this.deliver(frame.events);
    if (head.cursor !== '') this.push.cursor = head.cursor;
    if (head.internalExt !== '') this.push.internalExt = head.internalExt;
  }

  private deliver(events: UpstreamEvent[]): void {
    for (const e of events) {
      if (this.finished) return;
      const id = e.data.msgId;
      if (id !== '' && id !== '0' && !this.recent.add(id)) {
        this.stats.duplicates++;
        continue;
      }
      this.stats.delivered++;
      this.sink.event(e);
      if (e.event === 'streamEnd') {
        this.finish({ kind: 'ended' });
        return;
      }
    }
  }

  private onDrop(error: UpstreamError): void {
    this.socket = undefined;
    this.stopTimers();
    if (this.finished) return;
    void this.reconnect(error);
  }

  private async reconnect(error: UpstreamError): Promise<void> {
    let lastError = error;
    let resign = false;
    while (!this.finished) {
      this.attempts++;
      if (this.attempts > this.o.reconnectAttempts) {
        this.finish({
          kind: 'failed',
          error: new UpstreamError(
            lastError.code,
            `upstream failed after ${this.o.reconnectAttempts} reconnect attempts: ${lastError.message}`,
            {
              cause: lastError,
            },
          ),
        });
        return;
      }
      this.sink.reconnecting?.(lastError, this.attempts);
      try {
        const backoff = { baseDelayMs: this.o.reconnectBaseMs, maxDelayMs: this.o.reconnectMaxMs };
        await sleep(fullJitterDelay(this.attempts, backoff), this.abort.signal);
        if (resign) this.deliver((await this.fetchFirst(this.push.cursor)).events);
        await this.openSocket();
        if (this.finished) return;
        this.stats.reconnects++;
        return;
      } catch (err) {
        if (this.finished) return;
        lastError = err instanceof UpstreamError ? err : new UpstreamError('NETWORK', String(err), { cause: err });
        // The signed push URL or cookie may have expired: sign again on the next attempt.
        if (lastError.code === 'HANDSHAKE_REJECTED' || lastError.code === 'BLOCKED') resign = true;
        if (lastError.code === 'BLOCKED') this.moveRoute(lastError);
        if (await this.endedWhileAway()) return;
      }
    }
  }

  /** TikTok blocked this route while reconnecting: bench it and go on through another, if any. */
  private moveRoute(error: UpstreamError): void {
    const current = this.route!;
    this.routes.bench(current, error);
    const next = this.routes.take(new Set([current]));
    if (!next) return;
    this.routes.release(current);
    this.route = next;
  }

  /**
   * After a failed reconnect: if room info says the LIVE is over, the end message was
   * missed while away. Deliver a streamEnd (msgId "0": TikTok sent none we saw) and end.
   */
  private async endedWhileAway(): Promise<boolean> {
    try {
      await fetchRoomSnapshot(this.uniqueId, this._room.roomId, this.o, this.route!.http, this.abort.signal);
      return false;
    } catch (err) {
      if (this.finished) return true;
      if (!(err instanceof UpstreamError) || err.code !== 'OFFLINE') return false;
      this.deliver([{ event: 'streamEnd', data: { msgId: '0', timestamp: Date.now(), action: CONTROL_ENDED, reason: 'ended' } }]);
      return true;
    }
  }

  private finish(reason: { kind: 'ended' } | { kind: 'failed'; error: UpstreamError }): void {
    if (this.finished) return;
    this.shutdown();
    this.sink.closed(reason);
  }

  /** Releases everything; safe to call more than once (onFinished is idempotent). */
  private shutdown(): void {
    this.finished = true;
    this.stopTimers();
    if (!this.abort.signal.aborted) this.abort.abort(new UpstreamError('NETWORK', 'upstream closed'));
    this.socket?.close();
    this.socket = undefined;
    if (this.route) this.routes.release(this.route);
    this.route = undefined;
    this.onFinished(this);
  }

  close(): void {
    if (this.finished) return;
    this.shutdown();
  }
}
