import { systemClock, UpstreamError, type Clock, type RoomSnapshot } from '@tiktool/webcast';
import { LIVE_CHECK_INTERVAL_MS, LIVE_CHECK_JITTER, LIVE_CHECK_MAX_DOUBLINGS } from '../defaults.js';
import { LiveCheckBudgetError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CheckResult, LiveCheckShare } from './live-check-share.js';
import type { LiveAnswer, LiveLookups } from './live-lookups.js';
import type { LiveStatus, LiveStatusListener, LiveWatch } from './live-status.js';
import { MemoryLiveCheckShare } from './memory-live-check-share.js';

export interface LiveCheckerOptions {
  /** Each creator is checked about this often (TIKTOOL_LIVE_CHECK_MS). */
  intervalMs?: number;
  /** The fraction by which each interval varies either way. */
  jitter?: number;
  /** Where checks are claimed and results shared: this node's memory, or the cluster's Redis. */
  share?: LiveCheckShare;
  clock?: Clock;
  /** Uniform in [0, 1): the jitter's source. */
  random?: () => number;
  logger?: Logger;
  /** Called when a check waits for the budget's next free slot (metrics). */
  onBudgetWait?: (ms: number) => void;
}

/** One watched creator: its listeners, what they last heard, and its check loop. */
interface Watched {
  readonly uniqueId: string;
  readonly listeners: Set<LiveStatusListener>;
  readonly stop: AbortController;
  /** What the listeners last heard. */
  result: CheckResult | undefined;
  /** checkedAt of the newest result applied: older ones (a cached answer, another node's late one) are dropped. */
  seenAt: number;
  /** Failed checks (or "no such user") in a row: each doubles the interval, up to a cap. */
  failures: number;
}

/**
 * Watches creators' live state: per creator one check loop however many listeners, one
 * check at a time through LiveLookups (and, through the share, across the cluster), every
 * interval with jitter, less often while checks fail. The hub's transitions (ended,
 * wentLive) reach listeners at once, without waiting for a check.
 */
export class LiveChecker implements LiveWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly intervalMs: number;
  private readonly jitter: number;
  private readonly share: LiveCheckShare;
  private readonly clock: Clock;
  private readonly random: () => number;
  private closed = false;

  constructor(
    private readonly lookups: Pick<LiveLookups, 'lookup'>,
    private readonly options: LiveCheckerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? LIVE_CHECK_INTERVAL_MS;
    this.jitter = options.jitter ?? LIVE_CHECK_JITTER;
    this.clock = options.clock ?? systemClock;
    this.share = options.share ?? new MemoryLiveCheckShare(this.clock);
    this.random = options.random ?? Math.random;
  }

  /** Creators with at least one listener. */
  get watching(): number {
    return this.watched.size;
  }

  /** Watched creators not known to be live. */
  get waiting(): number {
    let n = 0;
    for (const w of this.watched.values()) if (!w.result?.status.live) n++;
    return n;
  }

  watch(uniqueId: string, listener: LiveStatusListener): () => void {
    // Shutting down: nothing more will be checked or heard.
    if (this.closed) return () => undefined;
    let w = this.watched.get(uniqueId);
    if (!w) {
      w = { uniqueId, listeners: new Set(), stop: new AbortController(), result: undefined, seenAt: 0, failures: 0 };
      this.watched.set(uniqueId, w);
      void this.run(w);
    }
    const watched = w;
    // A wrapper per watch: one listener function may watch twice and unwatch each separately.
    const own: LiveStatusListener = (status) => listener(status);
    watched.listeners.add(own);
    const known = watched.result?.status;
    if (known) queueMicrotask(() => watched.listeners.has(own) && this.tell(own, known));
    return () => this.unwatch(watched, own);
  }

  ended(uniqueId: string): void {
    this.transition({ uniqueId, live: false, exists: true, checkedAt: this.clock.now(), reason: 'stream ended', room: undefined });
  }

  wentLive(uniqueId: string, room: RoomSnapshot): void {
    this.transition({ uniqueId, live: true, exists: true, checkedAt: this.clock.now(), reason: undefined, room });
  }

  close(): void {
    this.closed = true;
    for (const w of this.watched.values()) w.stop.abort();
    this.watched.clear();
    void this.share.close();
  }

  private unwatch(w: Watched, listener: LiveStatusListener): void {
    if (!w.listeners.delete(listener) || w.listeners.size > 0) return;
    w.stop.abort();
    if (this.watched.get(w.uniqueId) === w) this.watched.delete(w.uniqueId);
  }

  /** The hub saw the change: every checker following the creator hears it now. */
  private transition(status: LiveStatus): void {
    const result = { status, failed: false };
    const w = this.watched.get(status.uniqueId);
    if (w) this.apply(w, result);
    this.share.share(status.uniqueId, result, 0).catch((err) => this.options.logger?.warn({ err }, 'live status not shared'));
  }

  private async run(w: Watched): Promise<void> {
    const { signal } = w.stop;
    let unfollow: (() => void) | undefined;
    try {
      unfollow = await this.share.follow(w.uniqueId, (r) => this.apply(w, r));
      while (!signal.aborted) {
        await this.turn(w);
        await this.clock.sleep(this.delay(w, true), signal).catch(() => undefined);
      }
    } catch (err) {
      this.options.logger?.error({ err, uniqueId: w.uniqueId }, 'live checks stopped');
    } finally {
      unfollow?.();
    }
  }

  /** Checks the creator if this checker's claim wins; otherwise takes what the winner shared. */
  private async turn(w: Watched): Promise<void> {
    const startedAt = this.clock.now();
    const won = await this.share.claim(w.uniqueId, this.delay(w, false)).catch(() => true);
    if (w.stop.signal.aborted) return;
    if (!won) {
      const latest = await this.share.latest(w.uniqueId).catch(() => undefined);
      if (latest) this.apply(w, latest);
      return;
    }
    const result = await this.check(w.uniqueId, w.stop.signal);
    if (w.stop.signal.aborted) return;
    // The hub saw a transition while this check ran: its answer may predate it.
    if (w.seenAt > startedAt) return;
    this.apply(w, result);
    await this.share.share(w.uniqueId, result, this.delay(w, false)).catch(() => undefined);
  }

  private async check(uniqueId: string, signal: AbortSignal): Promise<CheckResult> {
    const status = (over: Partial<LiveStatus>): LiveStatus => ({
      uniqueId,
      live: false,
      exists: true,
      checkedAt: this.clock.now(),
      reason: undefined,
      room: undefined,
      ...over,
    });
    try {
      const a = await this.lookupWithinBudget(uniqueId, signal);
      return { status: status({ live: a.live, checkedAt: a.checkedAt, reason: a.reason, room: a.room }), failed: false };
    } catch (err) {
      // Unwatched while waiting for the budget: the caller drops this.
      if (signal.aborted) return { status: status({ reason: 'no longer watched' }), failed: true };
      if (err instanceof UpstreamError && err.code === 'USER_NOT_FOUND') {
        return { status: status({ exists: false, reason: err.message }), failed: false };
      }
      if (err instanceof UpstreamError) return { status: status({ reason: err.message }), failed: true };
      this.options.logger?.warn({ err, uniqueId }, 'live check failed');
      return { status: status({ reason: 'live check failed' }), failed: true };
    }
  }

  /**
   * A refusal by the budget is no failure of the creator's: the check waits for the slot
   * the budget names and asks again, so creators watched together are checked in turn.
   */
  private async lookupWithinBudget(uniqueId: string, signal: AbortSignal): Promise<LiveAnswer> {
    for (;;) {
      try {
        // An answer from half an interval ago (a REST lookup's) is as good as a new one.
        return await this.lookups.lookup(uniqueId, this.intervalMs / 2);
      } catch (err) {
        if (!(err instanceof LiveCheckBudgetError)) throw err;
        this.options.onBudgetWait?.(err.retryAfterMs);
        await this.clock.sleep(err.retryAfterMs, signal);
      }
    }
  }

  /** Takes a result (this checker's, another's, or the hub's) and tells the listeners what changed. */
  private apply(w: Watched, r: CheckResult): void {
    if (r.status.checkedAt <= w.seenAt) return;
    w.seenAt = r.status.checkedAt;
    w.failures = r.failed || !r.status.exists ? w.failures + 1 : 0;
    const before = w.result;
    // A failed check says nothing new about a creator whose state is known.
    if (r.failed && before) return;
    w.result = r;
    if (before && !before.failed && before.status.live === r.status.live && before.status.exists === r.status.exists) return;
    for (const listener of [...w.listeners]) this.tell(listener, r.status);
  }

  /** A listener that throws is logged; the others and the check loop go on. */
  private tell(listener: LiveStatusListener, status: LiveStatus): void {
    try {
      listener(status);
    } catch (err) {
      this.options.logger?.error({ err, uniqueId: status.uniqueId }, 'live status listener failed');
    }
  }

  /**
   * The time to the creator's next check: the interval, doubled per failure in a row up to
   * a cap, with jitter; `least` is the shortest such time (what a claim holds off others for).
   */
  private delay(w: Watched, jittered: boolean): number {
    const base = this.intervalMs * 2 ** Math.min(w.failures, LIVE_CHECK_MAX_DOUBLINGS);
    return jittered ? base * (1 + this.jitter * (2 * this.random() - 1)) : base * (1 - this.jitter);
  }
}
