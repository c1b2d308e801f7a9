import { AUTH_FAILURES_ALLOWED, AUTH_FAILURE_WINDOW_MS, AUTH_MAX_TRACKED_ADDRESSES } from '../defaults.js';

/**
 * Throttles failed authentications per client address: once an address has failed too
 * often, its attempts are refused before any database lookup.
 */
export class AuthThrottle {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterS(address: string): number {
    const f = this.failures.get(address);
    if (!f) return 0;
    const elapsed = this.now() - f.windowStart;
    if (elapsed >= AUTH_FAILURE_WINDOW_MS) {
      this.failures.delete(address);
      return 0;
    }
    return f.count >= AUTH_FAILURES_ALLOWED ? Math.ceil((AUTH_FAILURE_WINDOW_MS - elapsed) / 1000) : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    const f = this.failures.get(address);
    if (f && now - f.windowStart < AUTH_FAILURE_WINDOW_MS) {
      f.count++;
      return;
    }
    if (this.failures.size >= AUTH_MAX_TRACKED_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, { count: 1, windowStart: now });
  }
}
