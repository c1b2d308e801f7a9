export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The largest delay of the attempt-th retry (1-based): base * 2^(attempt-1), capped. */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Full jitter: uniform in [0, ceiling). When a gateway restarts, all its clients drop
 * at the same instant; spreading their retries over the whole window keeps them from
 * coming back as one wave.
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}
