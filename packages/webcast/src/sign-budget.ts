/**
 * The budget of sign provider calls: at most `ratePerMinute` calls start in any window
 * of `windowMs` (a sliding window, so a burst at the start of a minute is not followed by
 * a refill within it). A caller reserves the next free start time and sleeps until it,
 * so waiters go in order with no polling; one whose start is further away than the
 * longest wait is refused at once with the delay, instead of hanging. A `Retry-After`
 * from the provider pauses every start until it has passed. The reservations live in a
 * SlotStore: in memory for one node, in Redis for a cluster.
 */

import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import { SIGN_STORE_RETRY_S } from './defaults.js';
import type { UpstreamObserver } from './upstream-observer.js';
import { UpstreamError } from './upstream.js';

/** One reservation: start at `at` (granted), or not within the longest wait (refused). */
export interface Reservation {
  granted: boolean;
  /** The start time reserved (or, refused, the first one free). */
  at: number;
  /** Names the reservation for refund(). */
  id: string;
}

/** Where the reservations live. Every method takes the caller's clock reading. */
export interface SlotStore {
  reserve(now: number, maxWaitMs: number): Promise<Reservation>;
  /** Gives back a reservation that was not used (its caller went away). */
  refund(id: string): Promise<void>;
  /** No reservation starts before now + ms. */
  pause(now: number, ms: number): Promise<void>;
}

export interface SignBudget {
  /** Waits for a slot; rejects with SIGN_BUDGET when none comes within the longest wait. */
  take(signal?: AbortSignal): Promise<void>;
  /** The provider asked to wait ms (Retry-After): no sign call starts before then. */
  pause(ms: number): Promise<void>;
}

export interface BucketParams {
  /** Sign calls per window; 0 = no limit of ours (Retry-After pauses still apply). */
  ratePerMinute: number;
  /** The window: 60 s (tests may shorten it). */
  windowMs: number;
}

export function reservationId(at: number): string {
  return `${at}-${randomBytes(6).toString('base64url')}`;
}

/** The sliding window in memory; the Redis store runs the same steps in Lua. */
export class MemorySlotStore implements SlotStore {
  /** Reserved start times, ascending, that still fall within a window of now. */
  private starts: { at: number; id: string }[] = [];
  private pausedUntil = 0;

  constructor(private readonly p: BucketParams) {}

  async reserve(now: number, maxWaitMs: number): Promise<Reservation> {
    const n = this.p.ratePerMinute;
    // A start a window ago or more no longer limits anything.
    while (this.starts.length > 0 && this.starts[0]!.at <= now - this.p.windowMs) this.starts.shift();
    let at = Math.max(now, this.pausedUntil);
    if (n > 0 && this.starts.length >= n) at = Math.max(at, this.starts[this.starts.length - n]!.at + this.p.windowMs);
    const id = reservationId(at);
    if (at - now > maxWaitMs) return { granted: false, at, id };
    if (n > 0) this.starts.push({ at, id });
    return { granted: true, at, id };
  }

  async refund(id: string): Promise<void> {
    this.starts = this.starts.filter((s) => s.id !== id);
  }

  async pause(now: number, ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }
}

export interface SignBudgetOptions extends BucketParams {
  /** A slot further away than this is refused at once (the client is told when to retry). */
  maxWaitMs: number;
  store?: SlotStore;
  clock?: Clock;
  observer?: UpstreamObserver;
}

function describeRate(o: BucketParams): string {
  if (o.ratePerMinute <= 0) return 'paused by the provider';
  return `${o.ratePerMinute} per ${o.windowMs === 60_000 ? 'minute' : `${Math.round(o.windowMs / 1000)} s`}`;
}

export function createSignBudget(o: SignBudgetOptions): SignBudget {
  const store = o.store ?? new MemorySlotStore(o);
  const clock = o.clock ?? systemClock;
  return {
    async take(signal) {
      const now = clock.now();
      const r = await store.reserve(now, o.maxWaitMs).catch((err: unknown) => {
        throw new UpstreamError('SIGN_BUDGET', `sign budget unavailable; retry after ${SIGN_STORE_RETRY_S} s`, { cause: err });
      });
      const waitMs = r.at - now;
      if (!r.granted) {
        o.observer?.signRefused?.();
        const s = Math.max(1, Math.ceil(waitMs / 1000));
        throw new UpstreamError('SIGN_BUDGET', `sign provider budget (${describeRate(o)}) is used up: retry after ${s} s`);
      }
      if (waitMs <= 0) return;
      o.observer?.signWait?.(waitMs);
      try {
        await clock.sleep(waitMs, signal);
      } catch (err) {
        await store.refund(r.id).catch(() => undefined);
        throw err;
      }
    },
    pause: (ms) => store.pause(clock.now(), ms),
  };
}
