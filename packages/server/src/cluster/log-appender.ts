import type { ResumePoint } from '@tiktool/webcast';
import type { UpstreamEvent } from '@tiktool/protocol';
import type { FeedTarget } from '../hub/feed-target.js';
import { logEvent } from '../hub/log.js';
import { MemoryLog } from '../hub/memory-log.js';
import type { Logger } from '../logger.js';
import type { RedisLog, RedisLogOptions } from './redis-log.js';
import type { UpstreamLease } from './upstream-lease.js';

export interface AppenderHooks {
  /** This node still owns the upstream the events come from. */
  owning(): boolean;
  /** The log refused this node's write: another node owns the creator now. */
  lostLease(): void;
}

/**
 * The owner's writes to a creator's Redis log, in upstream order (one chain). While Redis
 * is away the owner sequences its events in memory for its own clients; those seqs
 * diverge from the log's, so the log restarts under a new epoch when Redis is back.
 */
export class LogAppender {
  private chain: Promise<void> = Promise.resolve();
  private local: MemoryLog | undefined;
  /** The upstream just connected has not had an event appended yet. */
  private awaitingFirst = false;

  constructor(
    private readonly log: RedisLog,
    private readonly lease: UpstreamLease,
    private readonly target: FeedTarget,
    private readonly options: RedisLogOptions,
    private readonly logger: Logger,
    private readonly hooks: AppenderHooks,
  ) {}

  /** Every write queued so far is done. */
  get settled(): Promise<void> {
    return this.chain;
  }

  /** A new upstream: its first appended event tells the target where it starts. */
  upstreamStarting(): void {
    this.awaitingFirst = true;
  }

  /** Queues the event; `point` is where the upstream continues after it (taken when it arrived). */
  append(e: UpstreamEvent, point: ResumePoint | undefined): void {
    this.afterWrites(async () => {
      if (!this.hooks.owning() || !point) return;
      await this.write(logEvent(e, point));
    });
  }

  /** Queues a step after the writes before it; a failed step runs `onError`. */
  afterWrites(step: () => Promise<void>, onError: () => void = () => undefined): void {
    this.chain = this.chain.then(step).catch(onError);
  }

  private async write(event: ReturnType<typeof logEvent>): Promise<void> {
    try {
      if (this.local && (await this.fenced(() => this.log.resetFenced())) === 'not-owner') return this.hooks.lostLease();
      const appended = await this.fenced(() => this.log.appendFenced(event));
      if (appended === 'not-owner') return this.hooks.lostLease();
      this.local = undefined;
      if (this.awaitingFirst && appended !== 'duplicate') {
        this.awaitingFirst = false;
        this.target.upstreamStarts(appended.seq);
      }
    } catch (err) {
      if (!this.local)
        this.logger.warn(
          { creator: this.target.uniqueId, err: (err as Error).message },
          'Redis unreachable; serving local subscribers only',
        );
      this.local ??= new MemoryLog(
        this.target.uniqueId,
        { maxEvents: this.options.historyMaxEvents, maxAgeMs: this.options.historyTtlMs },
        { epoch: this.target.streamEpoch, head: this.target.streamHead },
      );
      this.target.sequenced(this.local.appendNow(event));
    }
  }

  /** A fenced write; fenced out, it takes the lease again if it lapsed (nobody else took it) and retries once. */
  private async fenced<T>(write: () => Promise<T | 'not-owner'>): Promise<T | 'not-owner'> {
    const result = await write();
    return result === 'not-owner' && (await this.lease.take()) ? write() : result;
  }
}
