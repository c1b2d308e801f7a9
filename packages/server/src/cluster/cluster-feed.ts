import { randomBytes } from 'node:crypto';
import { CloseCode, type CreatorEventName, type UpstreamEvent } from '@tiktool/protocol';
import {
  UpstreamError,
  isUpstreamErrorCode,
  type RoomSnapshot,
  type ResumePoint,
  type Upstream,
  type UpstreamConnection,
  type UpstreamSink,
} from '@tiktool/webcast';
import { CLUSTER_RECENT_IDS } from '../defaults.js';
import { closeFor } from '../errors/error-map.js';
import type { Logger } from '../logger.js';
import type { ChannelRouter } from './channel-router.js';
import { creatorKeys, type CreatorKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

export interface ClusterFeedOptions {
  /** The upstream owner's lease; another node takes over within it when the owner dies. */
  leaseMs: number;
  historyMaxEvents: number;
  /** Keys of a creator nobody appends to expire after this long. */
  historyTtlMs: number;
  /** How long a node waits for another node's upstream to go live. */
  connectTimeoutMs: number;
}

/** What a feed drives: the node's local copy of one creator's stream (the Creator). */
export interface FeedTarget {
  readonly uniqueId: string;
  readonly streamEpoch: string;
  readonly streamHead: number;
  /** The owner's upstream delivered its first event, at this seq of the log. */
  upstreamStarts(seq: number): void;
  /** The next event of the cluster log, in seq order. */
  sequenced(epoch: string, seq: number, event: CreatorEventName, dataJson: string): void;
  /** This node's copy cannot continue the cluster log: restart it at (epoch, firstSeq). */
  resetStream(epoch: string, firstSeq: number): void;
  /** An upstream event sequenced here, not by the log: while Redis is away the owner keeps serving its own subscribers. */
  event(e: UpstreamEvent): void;
  /** The creator's upstream is gone for good (ended, failed). */
  ended(code: number, reason: string): void;
  /** The owner's upstream dropped and is reconnecting (metrics, logs). */
  reconnecting(error: UpstreamError, attempt: number): void;
}

/** Handovers still releasing their lease; a node shutting down waits for them. */
export class Handovers {
  private readonly pending = new Set<Promise<void>>();

  track(handover: Promise<void>): void {
    this.pending.add(handover);
    void handover.finally(() => this.pending.delete(handover));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

/** A creator that ended or failed keeps its notice this long, for nodes still joining. */
const CLOSED_NOTICE_TTL_MS = 5_000;
const WAIT_POLL_MS = 100;

const newEpoch = () => randomBytes(6).toString('base64url');

type Notice = { kind: 'e'; epoch: string; seq: number; event: CreatorEventName; data: string } | { kind: 'l'; room: string } | { kind: 'c'; code: number; reason: string };

function parseNotice(m: string): Notice | undefined {
  const kind = m[0];
  if (kind === 'e') {
    const a = m.indexOf('|', 2);
    const b = m.indexOf('|', a + 1);
    const c = m.indexOf('|', b + 1);
    if (a < 0 || b < 0 || c < 0) return undefined;
    return { kind, epoch: m.slice(2, a), seq: Number(m.slice(a + 1, b)), event: m.slice(b + 1, c) as CreatorEventName, data: m.slice(c + 1) };
  }
  if (kind === 'l') return { kind, room: m.slice(2) };
  if (kind === 'c') {
    const a = m.indexOf('|', 2);
    return { kind, code: Number(m.slice(2, a)), reason: m.slice(a + 1) };
  }
  return undefined;
}

/**
 * Feeds one creator on one node of a cluster. Every node mirrors the creator's Redis log
 * into its local stream (backfill, then pub/sub, resyncing on any gap or epoch change).
 * One node also owns the upstream, by a lease: its events are appended to the log by a
 * fenced script, so a paused ex-owner cannot write. When the owner dies, a node with
 * subscribers takes the lease and continues the upstream from the saved cursor.
 */
export class ClusterFeed implements UpstreamConnection {
  room: RoomSnapshot;
  private readonly keys: CreatorKeys;
  private readonly token = randomBytes(12).toString('base64url');
  private upstreamConnection: UpstreamConnection | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;
  private syncing = true;
  private buffered: string[] = [];
  /** The owner served events without Redis: its seqs diverged, the log must restart. */
  private degraded = false;
  private appendChain: Promise<void> = Promise.resolve();
  private liveNotice: (() => void) | undefined;
  /** The upstream this node just connected has not had an event appended yet. */
  private awaitingFirstAppend = false;

  constructor(
    private readonly redis: ClusterRedis,
    private readonly router: ChannelRouter,
    private readonly upstream: Upstream,
    private readonly target: FeedTarget,
    private readonly options: ClusterFeedOptions,
    private readonly log: Logger,
    private readonly handovers: Handovers,
  ) {
    this.keys = creatorKeys(target.uniqueId);
    this.room = { roomId: '', uniqueId: target.uniqueId, title: '', viewerCount: 0, likeCount: 0 };
  }

  get owning(): boolean {
    return this.upstreamConnection !== undefined;
  }

  /** Joins the creator: owns its upstream or waits for the owner's, then mirrors its log. */
  async start(): Promise<void> {
    await this.router.subscribe(this.keys.channel, (m) => this.onMessage(m));
    try {
      if (!(await this.tryOwn())) await this.waitLive();
      await this.resync();
      this.ticker = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
      this.ticker.unref();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  resumePoint(): ResumePoint {
    return this.upstreamConnection?.resumePoint() ?? { cursor: '', internalExt: '' };
  }

  /** Leaves the creator: hands the upstream over (pending appends done, lease released). */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    void this.router.unsubscribe(this.keys.channel);
    if (this.upstreamConnection) this.handovers.track(this.handOver());
  }

  private async handOver(): Promise<void> {
    const connection = this.upstreamConnection!;
    this.upstreamConnection = undefined;
    connection.close();
    await this.appendChain;
    await this.redis.ttRelease(this.keys.owner, this.token).catch(() => undefined);
  }

  /** Takes the lease if it is free and connects the upstream. Returns false when another node owns it. */
  private async tryOwn(): Promise<boolean> {
    if ((await this.redis.set(this.keys.owner, this.token, 'PX', this.options.leaseMs, 'NX')) !== 'OK') return false;
    const meta = await this.redis.hgetall(this.keys.meta);
    const resumeFrom = meta.status === 'live' && meta.cursor ? { cursor: meta.cursor, internalExt: meta.internalExt ?? '' } : undefined;
    let connection: UpstreamConnection;
    this.awaitingFirstAppend = true;
    try {
      // Events already flow while the upstream connects (TikTok's first fetch): the sink's
      // opening() makes this node the appender before connect() resolves.
      connection = await this.upstream.connect(this.target.uniqueId, this.ownerSink(), { resumeFrom });
    } catch (err) {
      this.upstreamConnection = undefined;
      if (err instanceof UpstreamError) await this.noticeClosed(closeFor(err).code, err.message, err.code).catch(() => undefined);
      await this.redis.ttRelease(this.keys.owner, this.token).catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      this.upstreamConnection = undefined;
      connection.close();
      await this.redis.ttRelease(this.keys.owner, this.token).catch(() => undefined);
      return true;
    }
    this.upstreamConnection = connection;
    this.room = { ...connection.room };
    const room = JSON.stringify(this.room);
    await this.redis.ttEnsureEpoch(this.keys.meta, newEpoch(), this.options.historyTtlMs);
    await this.redis.ttNotice(this.keys.meta, this.keys.owner, this.token, this.keys.channel, `l|${room}`, 'status', 'live', 'room', room);
    // The first fetch's events are in the log before this node's first clients read it.
    await this.appendChain;
    this.log.info({ creator: this.target.uniqueId, resumed: resumeFrom !== undefined }, 'took the upstream of a creator');
    return true;
  }

  /** Waits until another node's upstream for the creator is live (or failed, or died: then take over). */
  private async waitLive(): Promise<void> {
    const deadline = Date.now() + this.options.connectTimeoutMs;
    while (!this.stopped) {
      const meta = await this.redis.hgetall(this.keys.meta);
      if (meta.status === 'live' && meta.room) {
        this.room = { ...(JSON.parse(meta.room) as RoomSnapshot) };
        return;
      }
      if (meta.status === 'closed') {
        throw new UpstreamError(isUpstreamErrorCode(meta.errorCode) ? meta.errorCode : 'NETWORK', meta.closeReason ?? 'upstream closed');
      }
      if (await this.tryOwn()) return;
      if (Date.now() > deadline) throw new UpstreamError('NETWORK', 'timed out waiting for the node that owns this creator');
      await new Promise<void>((resolve) => {
        this.liveNotice = resolve;
        setTimeout(resolve, WAIT_POLL_MS);
      });
      this.liveNotice = undefined;
    }
  }

  private onMessage(message: string): void {
    if (this.stopped) return;
    const n = parseNotice(message);
    if (!n) return;
    if (n.kind === 'l') {
      this.liveNotice?.();
      return;
    }
    if (n.kind === 'c') {
      this.target.ended(n.code, n.reason);
      return;
    }
    if (this.syncing) {
      this.buffered.push(message);
      return;
    }
    this.apply(n);
  }

  private apply(n: Extract<Notice, { kind: 'e' }>): void {
    if (n.epoch === this.target.streamEpoch) {
      if (n.seq <= this.target.streamHead) return;
      if (n.seq === this.target.streamHead + 1) {
        this.target.sequenced(n.epoch, n.seq, n.event, n.data);
        return;
      }
    }
    void this.resync();
  }

  /** Brings the local stream level with the Redis log: backfill, then buffered live messages. */
  private async resync(): Promise<void> {
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
          for (const m of pending) {
            const n = parseNotice(m);
            if (n?.kind !== 'e') continue;
            if (n.epoch === this.target.streamEpoch && n.seq === this.target.streamHead + 1) {
              this.target.sequenced(n.epoch, n.seq, n.event, n.data);
            } else if (n.epoch !== this.target.streamEpoch || n.seq > this.target.streamHead + 1) {
              again = true;
            }
          }
        }
      }
    } finally {
      this.syncing = false;
    }
  }

  private async backfill(): Promise<void> {
    const [epoch, head] = await this.redis.ttEnsureEpoch(this.keys.meta, newEpoch(), this.options.historyTtlMs);
    const headSeq = Number(head);
    const sameEpoch = epoch === this.target.streamEpoch;
    const from = sameEpoch ? this.target.streamHead + 1 : 1;
    const entries = from <= headSeq ? await this.redis.xrange(this.keys.log, `${from}-0`, '+') : [];
    const firstSeq = entries.length > 0 ? Number(entries[0][0].split('-')[0]) : headSeq + 1;
    if (!sameEpoch || firstSeq !== this.target.streamHead + 1) this.target.resetStream(epoch, firstSeq);
    for (const [id, fields] of entries) {
      const seq = Number(id.split('-')[0]);
      if (seq !== this.target.streamHead + 1) continue;
      this.target.sequenced(epoch, seq, fields[1] as CreatorEventName, fields[3]);
    }
  }

  private ownerSink(): UpstreamSink {
    return {
      opening: (connection) => {
        this.upstreamConnection = connection;
      },
      event: (e) => this.append(e),
      reconnecting: (error, attempt) => this.target.reconnecting(error, attempt),
      closed: (reason) => {
        const code = reason.kind === 'ended' ? CloseCode.STREAM_END : closeFor(reason.error).code;
        const why = reason.kind === 'ended' ? 'stream ended' : `upstream failed: ${reason.error.message}`;
        const errorCode = reason.kind === 'ended' ? '' : reason.error.code;
        this.appendChain = this.appendChain.then(() => this.noticeClosed(code, why, errorCode)).catch(() => this.target.ended(code, why));
      },
    };
  }

  /** Appends in upstream order (one chain), falling back to local delivery while Redis is away. */
  private append(e: UpstreamEvent): void {
    // Taken now: the position that loses nothing after this event, saved with it.
    const point = this.upstreamConnection?.resumePoint();
    this.appendChain = this.appendChain.then(async () => {
      if (!this.upstreamConnection || !point) return;
      const data = JSON.stringify(e.data);
      try {
        let [seq] = await this.appendOnce(e, data, point);
        if (seq === -1 && (await this.redis.set(this.keys.owner, this.token, 'PX', this.options.leaseMs, 'NX')) === 'OK') {
          [seq] = await this.appendOnce(e, data, point);
        }
        if (seq === -1) {
          this.log.warn({ creator: this.target.uniqueId }, 'lost the upstream lease; another node owns the creator');
          this.upstreamConnection?.close();
          this.upstreamConnection = undefined;
          return;
        }
        this.degraded = false;
        if (this.awaitingFirstAppend && Number(seq) > 0) {
          this.awaitingFirstAppend = false;
          this.target.upstreamStarts(Number(seq));
        }
      } catch (err) {
        if (!this.degraded) this.log.warn({ creator: this.target.uniqueId, err: (err as Error).message }, 'Redis unreachable; serving local subscribers only');
        this.degraded = true;
        this.target.event(e);
      }
    });
  }

  private appendOnce(e: UpstreamEvent, data: string, point: ResumePoint) {
    return this.redis.ttAppend(
      this.keys.meta,
      this.keys.log,
      this.keys.ids,
      this.keys.owner,
      this.token,
      newEpoch(),
      e.data.msgId,
      e.event,
      data,
      this.options.historyMaxEvents,
      CLUSTER_RECENT_IDS,
      this.keys.channel,
      this.options.historyTtlMs,
      this.degraded ? '1' : '0',
      point.cursor,
      point.internalExt,
    );
  }

  /** errorCode: the owner's UpstreamError, so a node still joining fails with the same one. */
  private async noticeClosed(code: number, reason: string, errorCode: string): Promise<void> {
    await this.redis.ttNotice(this.keys.meta, this.keys.owner, this.token, this.keys.channel, `c|${code}|${reason}`,
      'status', 'closed', 'closeCode', String(code), 'closeReason', reason, 'errorCode', errorCode);
    await this.redis.pexpire(this.keys.meta, CLOSED_NOTICE_TTL_MS);
    await this.redis.del(this.keys.log, this.keys.ids);
  }

  /** Renews the lease (owner), or takes over a creator whose owner died. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.upstreamConnection) {
        const held =
          (await this.redis.ttRenew(this.keys.owner, this.token, this.options.leaseMs)) === 1 ||
          (await this.redis.set(this.keys.owner, this.token, 'PX', this.options.leaseMs, 'NX')) === 'OK';
        if (!held) {
          this.log.warn({ creator: this.target.uniqueId }, 'lost the upstream lease; another node owns the creator');
          this.upstreamConnection.close();
          this.upstreamConnection = undefined;
        }
      } else if (await this.tryOwn()) {
        this.log.info({ creator: this.target.uniqueId }, 'took over a creator whose owner went away');
      }
    } catch (err) {
      if (err instanceof UpstreamError) this.target.ended(closeFor(err).code, err.message);
    }
  }
}
