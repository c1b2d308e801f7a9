import { WEBHOOK_BACKOFF_FACTOR, WEBHOOK_JITTER, WEBHOOK_MAX_ATTEMPTS } from '../defaults.js';

/**
 * When a failed delivery is tried again: base * 3^(n-1) after the nth failed attempt,
 * within ±20 % (jitter, so endpoints failing together do not retry together). With the
 * 60 s default base, 8 attempts span about 18 h; after the last, the delivery is dead.
 * Returns undefined when no attempt is left.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number | undefined {
  if (failedAttempts >= WEBHOOK_MAX_ATTEMPTS) return undefined;
  const delay = baseMs * WEBHOOK_BACKOFF_FACTOR ** (failedAttempts - 1);
  return Math.round(delay * (1 - WEBHOOK_JITTER + 2 * WEBHOOK_JITTER * random()));
}
