/**
 * Time as the sign budget and its retries see it. Tests inject a manual clock so that a
 * one-minute budget or a `Retry-After: 5` is observed without waiting for it.
 */

import { sleep } from './backoff.js';

export interface Clock {
  now(): number;
  /** Resolves after ms of this clock's time, or rejects when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};
