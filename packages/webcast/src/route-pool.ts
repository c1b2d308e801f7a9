/**
 * The routes out to TikTok (direct, or one per configured proxy) and which of them are
 * backing off. A creator takes the least used route that is not benched and keeps it for
 * the life of its upstream. A route that fails (a dead proxy, or TikTok blocking its
 * address) is benched, longer after each failure in a row, and the creator moves on.
 */

import { systemClock, type Clock } from './clock.js';
import { ROUTE_BENCH_BASE_MS, ROUTE_BENCH_MAX_MS } from './defaults.js';
import type { UpstreamObserver } from './upstream-observer.js';
import type { UpstreamRoute } from './upstream-route.js';
import type { UpstreamError } from './upstream.js';

interface RouteState {
  route: UpstreamRoute;
  users: number;
  benchedUntil: number;
  failuresInARow: number;
}

export class RoutePool {
  private readonly states: RouteState[];

  constructor(
    routes: UpstreamRoute[],
    private readonly clock: Clock = systemClock,
    private readonly observer?: UpstreamObserver,
  ) {
    this.states = routes.map((route) => ({ route, users: 0, benchedUntil: 0, failuresInARow: 0 }));
  }

  get size(): number {
    return this.states.length;
  }

  /**
   * The least used route that is not benched, skipping `tried`; undefined when every
   * route is benched or tried. Taking a route counts a user until release().
   */
  take(tried: ReadonlySet<UpstreamRoute> = new Set()): UpstreamRoute | undefined {
    const now = this.clock.now();
    let best: RouteState | undefined;
    for (const s of this.states) {
      if (tried.has(s.route) || s.benchedUntil > now) continue;
      if (!best || s.users < best.users) best = s;
    }
    if (best) best.users++;
    return best?.route;
  }

  release(route: UpstreamRoute): void {
    const s = this.stateOf(route);
    if (s && s.users > 0) s.users--;
  }

  /** The route worked: its failures in a row start again from zero. */
  succeeded(route: UpstreamRoute): void {
    const s = this.stateOf(route);
    if (s) s.failuresInARow = 0;
  }

  /** Benches the route after a failure: base, doubled per failure in a row, capped. */
  bench(route: UpstreamRoute, error: UpstreamError): void {
    const s = this.stateOf(route);
    if (!s) return;
    const ms = Math.min(ROUTE_BENCH_MAX_MS, ROUTE_BENCH_BASE_MS * 2 ** s.failuresInARow);
    s.failuresInARow++;
    s.benchedUntil = this.clock.now() + ms;
    this.observer?.routeBenched?.(route.label, error.code, ms);
  }

  /** Seconds until the first benched route comes back. */
  secondsUntilAvailable(): number {
    const now = this.clock.now();
    const next = Math.min(...this.states.map((s) => s.benchedUntil));
    return Math.max(1, Math.ceil((next - now) / 1000));
  }

  async close(): Promise<void> {
    await Promise.all(this.states.map((s) => s.route.close()));
  }

  private stateOf(route: UpstreamRoute): RouteState | undefined {
    return this.states.find((s) => s.route === route);
  }
}
