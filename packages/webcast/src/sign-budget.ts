/**
 * The budget of sign provider calls: a token bucket of `ratePerMinute` tokens that
 * refills continuously. A caller reserves the next free slot and sleeps until it (so
 * waiters go in order, with no polling); one whose slot is further away than the
 * longest wait is refused at once with the delay, instead of hanging. A `Retry-After`
 * from the provider pauses the bucket for everyone. The bucket's state lives in a
 * SlotStore: in memory for one node, in Redis for a cluster.
 */

import { systemClock, type Clock } from './clock.js';
import type { UpstreamObserver } from './upstream-observer.js';
import { UpstreamError } from './upstream.js';

/** The answer to one reservation: go after waitMs, or (granted false) not within the longest wait. */
export interface Reservation {
  granted: boolean;
  waitMs: number;
}

/** Where the bucket lives. Every method takes the caller's clock reading. */
export interface SlotStore {
  reserve(now: number, maxWaitMs: number): Promise<Reservation>;
  /** Gives back a reserved slot that was not used (its caller went away). */
  refund(now: number): Promise<void>;
  /** No slot starts before now + ms, and the bucket refills only from then on. */
  pause(now: number, ms: number): Promise<void>;
}

export interface SignBudget {
  /** Waits for a slot; rejects with SIGN_BUDGET when none comes within the longest wait. */
  take(signal?: AbortSignal): Promise<void>;
  /** The provider asked to wait ms (Retry-After): no sign call starts before then. */
  pause(ms: number): Promise<void>;
  readonly ratePerMinute: number;
}

export interface BucketParams {
  /** Sign calls per minute; 0 = no limit (Retry-After pauses still apply). */
  ratePerMinute: number;
  /** The bucket's length in ms: `ratePerMinute` tokens refill over it (60 s; smaller in tests). */
  windowMs: number;
}

interface BucketState {
  tokens: number;
  /** Refill is counted from here; after a pause it lies in the future. */
  updatedAt: number;
}

/** The token bucket's arithmetic, shared by the memory store and (in Lua) the Redis one. */
export class MemorySlotStore implements SlotStore {
  private state: BucketState;

  constructor(private readonly p: BucketParams) {
    this.state = { tokens: Math.max(1, p.ratePerMinute), updatedAt: 0 };
  }

  private refill(now: number): void {
    const s = this.state;
    if (now <= s.updatedAt) return;
    const capacity = Math.max(1, this.p.ratePerMinute);
    s.tokens = this.p.ratePerMinute <= 0 ? capacity : Math.min(capacity, s.tokens + ((now - s.updatedAt) * this.p.ratePerMinute) / this.p.windowMs);
    s.updatedAt = now;
  }

  async reserve(now: number, maxWaitMs: number): Promise<Reservation> {
    this.refill(now);
    const s = this.state;
    const perToken = this.p.ratePerMinute <= 0 ? 0 : this.p.windowMs / this.p.ratePerMinute;
    const waitMs = Math.ceil(Math.max(0, s.updatedAt - now) + (s.tokens >= 1 ? 0 : (1 - s.tokens) * perToken));
    if (waitMs > maxWaitMs) return { granted: false, waitMs };
    if (this.p.ratePerMinute > 0) s.tokens -= 1;
    return { granted: true, waitMs };
  }

  async refund(now: number): Promise<void> {
    this.refill(now);
    if (this.p.ratePerMinute > 0) this.state.tokens = Math.min(this.p.ratePerMinute, this.state.tokens + 1);
  }

  async pause(now: number, ms: number): Promise<void> {
    this.refill(now);
    const s = this.state;
    if (this.p.ratePerMinute > 0) s.tokens = Math.min(s.tokens, 0);
    s.updatedAt = Math.max(s.updatedAt, now + ms);
  }
}

export interface SignBudgetOptions extends BucketParams {
  /** A slot further away than this is refused at once (the client is told when to retry). */
  maxWaitMs: number;
  store?: SlotStore;
  clock?: Clock;
  observer?: UpstreamObserver;
}

export function createSignBudget(o: SignBudgetOptions): SignBudget {
  const store = o.store ?? new MemorySlotStore(o);
  const clock = o.clock ?? systemClock;
  const window = o.windowMs === 60_000 ? 'minute' : `${Math.round(o.windowMs / 1000)} s`;
  const perMinute = o.ratePerMinute > 0 ? `${o.ratePerMinute} per ${window}` : 'paused by the provider';
  return {
    ratePerMinute: o.ratePerMinute,
    async take(signal) {
      const r = await store.reserve(clock.now(), o.maxWaitMs);
      if (!r.granted) {
        o.observer?.signRefused?.();
        const s = Math.max(1, Math.ceil(r.waitMs / 1000));
        throw new UpstreamError('SIGN_BUDGET', `sign provider budget (${perMinute}) is used up: next slot in ${s} s; retry after ${s} s`);
      }
      if (r.waitMs <= 0) return;
      o.observer?.signWait?.(r.waitMs);
      try {
        await clock.sleep(r.waitMs, signal);
      } catch (err) {
        await store.refund(clock.now());
        throw err;
      }
    },
    pause: (ms) => store.pause(clock.now(), ms),
  };
}
