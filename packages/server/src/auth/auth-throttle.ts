/** Failed authentications allowed per client address within the window before it is throttled. */
export const AUTH_FAILURES_ALLOWED = 20;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Bound on tracked addresses, so a spray of source addresses cannot grow memory without limit. */
const MAX_TRACKED = 100_000;

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
    if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, { count: 1, windowStart: now });
  }
}
