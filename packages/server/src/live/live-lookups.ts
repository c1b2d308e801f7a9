import { MemorySlotStore, systemClock, UpstreamError, type Clock, type LiveCheck, type SlotStore, type Upstream } from '@tiktool/webcast';
import {
  LIVE_ANSWER_TTL_MS,
  LIVE_ANSWERS_MAX,
  LIVE_CHECK_BUDGET_WINDOW_MS,
  LIVE_CHECK_BACKOFF_BASE_MS,
  LIVE_CHECK_BACKOFF_MAX_MS,
  LIVE_CHECK_MAX_WAIT_MS,
  LIVE_CHECKS_PER_MINUTE,
} from '../defaults.js';
import { LiveCheckBudgetError } from '../errors.js';

/** A live check's answer, as of `checkedAt`. */
export interface LiveAnswer extends LiveCheck {
  checkedAt: number;
}

export interface LiveLookupsOptions {
  ttlMs?: number;
  maxAnswers?: number;
  checksPerMinute?: number;
  maxWaitMs?: number;
  /** The budget's reservations: in memory for one node, in Redis for a cluster. */
  store?: SlotStore;
  clock?: Clock;
  /** Called for every lookup made toward TikTok, with its outcome (metrics). */
  onLookup?: (outcome: LookupOutcome) => void;
}

export type LookupOutcome = 'live' | 'offline' | 'not_found' | 'blocked' | 'failed';

type Held = { at: number; answer: LiveAnswer } | { at: number; error: UpstreamError };

/** Codes after which every lookup pauses: TikTok is refusing this gateway. */
const BACKS_OFF = new Set(['BLOCKED', 'SIGN_RATE_LIMITED']);

/**
 * Asks TikTok whether creators are live, for everyone who asks (the live checker, REST):
 * one lookup per creator in flight however many ask at once, answers (and "no such
 * user") reused for a short TTL, every lookup within one budget per minute, and a pause
 * that grows while TikTok blocks or rate limits us.
 */
export class LiveLookups {
  private readonly inFlight = new Map<string, Promise<LiveAnswer>>();
  /** Most recently used last: the first entry is the one to drop. */
  private readonly held = new Map<string, Held>();
  private readonly o: Required<Omit<LiveLookupsOptions, 'onLookup' | 'store'>> & Pick<LiveLookupsOptions, 'onLookup'>;
  private readonly store: SlotStore;
  private blocksInARow = 0;

  constructor(
    private readonly upstream: Pick<Upstream, 'checkLive'>,
    options: LiveLookupsOptions = {},
  ) {
    this.o = {
      ttlMs: options.ttlMs ?? LIVE_ANSWER_TTL_MS,
      maxAnswers: options.maxAnswers ?? LIVE_ANSWERS_MAX,
      checksPerMinute: options.checksPerMinute ?? LIVE_CHECKS_PER_MINUTE,
      maxWaitMs: options.maxWaitMs ?? LIVE_CHECK_MAX_WAIT_MS,
      clock: options.clock ?? systemClock,
      onLookup: options.onLookup,
    };
    this.store = options.store ?? new MemorySlotStore({ ratePerMinute: this.o.checksPerMinute, windowMs: LIVE_CHECK_BUDGET_WINDOW_MS });
  }

  /**
   * The creator's live state, younger than `maxAgeMs` (the TTL unless asked fresher; 0 asks TikTok).
   * Rejects with USER_NOT_FOUND, BLOCKED and other UpstreamErrors, or LiveCheckBudgetError
   * (ERR_LIVE_CHECK_BUDGET) when the budget has no slot within the longest wait.
   */
  lookup(uniqueId: string, maxAgeMs = this.o.ttlMs): Promise<LiveAnswer> {
    const held = this.held.get(uniqueId);
    if (held && this.o.clock.now() - held.at < Math.min(maxAgeMs, this.o.ttlMs)) {
      this.touch(uniqueId, held);
      return 'answer' in held ? Promise.resolve(held.answer) : Promise.reject(held.error);
    }
    let pending = this.inFlight.get(uniqueId);
    if (!pending) {
      pending = this.ask(uniqueId).finally(() => this.inFlight.delete(uniqueId));
      this.inFlight.set(uniqueId, pending);
    }
    return pending;
  }

  private async ask(uniqueId: string): Promise<LiveAnswer> {
    await this.takeSlot();
    try {
      const check = await this.upstream.checkLive(uniqueId);
      const answer: LiveAnswer = { ...check, checkedAt: this.o.clock.now() };
      this.blocksInARow = 0;
      this.o.onLookup?.(answer.live ? 'live' : 'offline');
      this.touch(uniqueId, { at: answer.checkedAt, answer });
      return answer;
    } catch (err) {
      throw await this.failed(uniqueId, err);
    }
  }

  /** Remembers "no such user" like an answer; pauses every lookup after a block. */
  private async failed(uniqueId: string, err: unknown): Promise<unknown> {
    if (!(err instanceof UpstreamError)) {
      this.o.onLookup?.('failed');
      return err;
    }
    if (err.code === 'USER_NOT_FOUND') {
      this.o.onLookup?.('not_found');
      this.touch(uniqueId, { at: this.o.clock.now(), error: err });
    } else if (BACKS_OFF.has(err.code)) {
      this.o.onLookup?.('blocked');
      await this.backOff();
    } else {
      this.o.onLookup?.('failed');
    }
    return err;
  }

  /**
   * Another request toward TikTok (the REST room, user and gift lookups) within the same
   * budget, pausing every lookup when TikTok blocks it.
   */
  async budgeted<T>(request: () => Promise<T>): Promise<T> {
    await this.takeSlot();
    try {
      const result = await request();
      this.blocksInARow = 0;
      return result;
    } catch (err) {
      if (err instanceof UpstreamError && BACKS_OFF.has(err.code)) await this.backOff();
      throw err;
    }
  }

  private async backOff(): Promise<void> {
    const ms = Math.min(LIVE_CHECK_BACKOFF_MAX_MS, LIVE_CHECK_BACKOFF_BASE_MS * 2 ** this.blocksInARow++);
    await this.store.pause(this.o.clock.now(), ms).catch(() => undefined);
  }

  private async takeSlot(): Promise<void> {
    const now = this.o.clock.now();
    const r = await this.store.reserve(now, this.o.maxWaitMs);
    const waitMs = r.at - now;
    if (!r.granted) throw new LiveCheckBudgetError(waitMs);
    if (waitMs > 0) await this.o.clock.sleep(waitMs);
  }

  private touch(uniqueId: string, held: Held): void {
    this.held.delete(uniqueId);
    this.held.set(uniqueId, held);
    if (this.held.size > this.o.maxAnswers) this.held.delete(this.held.keys().next().value!);
  }
}
