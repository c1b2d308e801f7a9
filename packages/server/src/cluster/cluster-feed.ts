import {
  UpstreamError,
  isUpstreamErrorCode,
  type RoomSnapshot,
  type ResumePoint,
  type Upstream,
  type UpstreamConnection,
  type UpstreamSink,
} from '@tiktool/webcast';
import { closeFor } from '../errors/error-map.js';
import { closeOf, type FeedTarget } from '../hub/feed-target.js';
import type { Logger } from '../logger.js';
import type { ChannelRouter } from './channel-router.js';
import type { Handovers } from './handovers.js';
import { creatorKeys, type CreatorKeys } from './keys.js';
import { LogAppender } from './log-appender.js';
import { LogMirror } from './log-mirror.js';
import { encodeClosed, encodeLive } from './notice.js';
import type { ClusterRedis } from './redis-connection.js';
import { RedisLog, type RedisLogOptions } from './redis-log.js';
import { publishNotice } from './script-calls.js';
import { UpstreamLease } from './upstream-lease.js';

export interface ClusterFeedOptions extends RedisLogOptions {
  /** The upstream owner's lease; another node takes over within it when the owner dies. */
  leaseMs: number;
  /** How long a node waits for another node's upstream to go live while no node holds the lease. */
  connectTimeoutMs: number;
}

/** A creator that ended or failed keeps its notice this long, for nodes still joining. */
const CLOSED_NOTICE_TTL_MS = 5_000;
const WAIT_POLL_MS = 100;

/**
 * Feeds one creator on one node of a cluster. Every node mirrors the creator's Redis log
 * into its local copy (LogMirror). One node also owns the upstream, by a lease
 * (UpstreamLease): its events are appended to the log fenced by the lease (LogAppender),
 * so a paused ex-owner cannot write. When the owner dies, a node with subscribers takes the lease and
 * continues the upstream from the saved cursor.
 */
export class ClusterFeed implements UpstreamConnection {
  room: RoomSnapshot;
  private readonly keys: CreatorKeys;
  private readonly lease: UpstreamLease;
  private readonly log: RedisLog;
  private readonly mirror: LogMirror;
  private readonly appender: LogAppender;
  private upstreamConnection: UpstreamConnection | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;
  private liveNotice: (() => void) | undefined;

  constructor(
    private readonly redis: ClusterRedis,
    router: ChannelRouter,
    private readonly upstream: Upstream,
    private readonly target: FeedTarget,
    private readonly options: ClusterFeedOptions,
    private readonly logger: Logger,
    private readonly handovers: Handovers,
  ) {
    this.keys = creatorKeys(target.uniqueId);
    this.lease = new UpstreamLease(redis, this.keys.owner, options.leaseMs);
    this.log = new RedisLog(redis, target.uniqueId, options, this.lease.token);
    this.mirror = new LogMirror(this.log, router, this.keys.channel, target, {
      onLive: () => this.liveNotice?.(),
      onClosed: (code, reason) => this.target.ended(code, reason),
    });
    this.appender = new LogAppender(this.log, this.lease, target, options, logger, {
      owning: () => this.upstreamConnection !== undefined,
      lostLease: () => this.lostLease(),
    });
    this.room = { roomId: '', uniqueId: target.uniqueId, title: '', viewerCount: 0, likeCount: 0 };
  }

  get owning(): boolean {
    return this.upstreamConnection !== undefined;
  }

  /** Joins the creator: owns its upstream or waits for the owner's, then mirrors its log. */
  async start(): Promise<void> {
    await this.mirror.listen();
    try {
      if (!(await this.tryOwn())) await this.waitLive();
      await this.mirror.resync();
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
    this.mirror.stop();
    if (this.upstreamConnection) this.handovers.track(this.handOver());
  }

  private async handOver(): Promise<void> {
    const connection = this.upstreamConnection!;
    this.upstreamConnection = undefined;
    connection.close();
    await this.appender.settled;
    await this.lease.release();
  }

  /** Takes the lease if it is free and connects the upstream. Returns false when another node owns it. */
  private async tryOwn(): Promise<boolean> {
    if (!(await this.lease.take())) return false;
    // The connect may wait for a sign slot longer than the lease: keep holding it meanwhile.
    const holding = setInterval(() => void this.lease.renew().catch(() => undefined), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    try {
      return await this.connectOwned();
    } finally {
      clearInterval(holding);
    }
  }

  private async connectOwned(): Promise<boolean> {
    const meta = await this.redis.hgetall(this.keys.meta);
    const resumeFrom = meta.status === 'live' && meta.cursor ? { cursor: meta.cursor, internalExt: meta.internalExt ?? '' } : undefined;
    let connection: UpstreamConnection;
    this.appender.upstreamStarting();
    try {
      // Events already flow while the upstream connects (TikTok's first fetch): the sink's
      // opening() makes this node the appender before connect() resolves.
      connection = await this.upstream.connect(this.target.uniqueId, this.ownerSink(), { resumeFrom });
    } catch (err) {
      this.upstreamConnection = undefined;
      if (err instanceof UpstreamError) await this.noticeClosed(closeFor(err).code, err.message, err.code).catch(() => undefined);
      await this.lease.release();
      throw err;
    }
    if (this.stopped) {
      this.upstreamConnection = undefined;
      connection.close();
      await this.lease.release();
      return true;
    }
    this.upstreamConnection = connection;
    this.room = { ...connection.room };
    const room = JSON.stringify(this.room);
    await this.log.position();
    await publishNotice(this.redis, this.keys, this.lease.token, encodeLive(room), { status: 'live', room });
    // The first fetch's events are in the log before this node's first clients read it.
    await this.appender.settled;
    this.logger.info({ creator: this.target.uniqueId, resumed: resumeFrom !== undefined }, 'took the upstream of a creator');
    return true;
  }

  /**
   * Waits until another node's upstream for the creator is live, or failed (with the
   * owner's close code), or its owner died (then takes over). The timeout counts only
   * while no node holds the lease: an owner still connecting (waiting for a sign slot)
   * keeps renewing it.
   */
  private async waitLive(): Promise<void> {
    let deadline = Date.now() + this.options.connectTimeoutMs;
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
      if ((await this.redis.exists(this.keys.owner)) === 1) deadline = Date.now() + this.options.connectTimeoutMs;
      if (Date.now() > deadline) throw new UpstreamError('NETWORK', 'timed out waiting for the node that owns this creator');
      await new Promise<void>((resolve) => {
        this.liveNotice = resolve;
        setTimeout(resolve, WAIT_POLL_MS);
      });
      this.liveNotice = undefined;
    }
  }

  private ownerSink(): UpstreamSink {
    return {
      opening: (connection) => {
        this.upstreamConnection = connection;
      },
      // The point is taken now: the position that loses nothing after this event, saved with it.
      event: (e) => this.appender.append(e, this.upstreamConnection?.resumePoint()),
      reconnecting: (error, attempt) => this.target.reconnecting(error, attempt),
      closed: (reason) => {
        const { code, reason: why } = closeOf(reason);
        const errorCode = reason.kind === 'ended' ? '' : reason.error.code;
        this.appender.afterWrites(
          () => this.noticeClosed(code, why, errorCode),
          () => this.target.ended(code, why),
        );
      },
    };
  }

  private lostLease(): void {
    this.logger.warn({ creator: this.target.uniqueId }, 'lost the upstream lease; another node owns the creator');
    this.upstreamConnection?.close();
    this.upstreamConnection = undefined;
  }

  /** errorCode: the owner's UpstreamError, so a node still joining fails with the same one. */
  private async noticeClosed(code: number, reason: string, errorCode: string): Promise<void> {
    await publishNotice(this.redis, this.keys, this.lease.token, encodeClosed(code, reason), {
      status: 'closed',
      closeCode: String(code),
      closeReason: reason,
      errorCode,
    });
    await this.redis.pexpire(this.keys.meta, CLOSED_NOTICE_TTL_MS);
    await this.redis.del(this.keys.log, this.keys.ids);
  }

  /** Renews the lease (owner), or takes over a creator whose owner died. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.upstreamConnection) {
        if (!(await this.lease.hold())) this.lostLease();
      } else if (await this.tryOwn()) {
        this.logger.info({ creator: this.target.uniqueId }, 'took over a creator whose owner went away');
      }
    } catch (err) {
      if (err instanceof UpstreamError) this.target.ended(closeFor(err).code, err.message);
    }
  }
}
