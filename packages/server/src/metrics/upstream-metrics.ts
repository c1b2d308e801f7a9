/**
 * Metrics of the upstream's dealings with the outside: sign provider calls and the sign
 * budget's waits and refusals, and routes (direct or proxies) backing off.
 */

import type { UpstreamObserver } from '@tiktool/webcast';
import { Counter, Histogram, type Registry } from 'prom-client';

export class UpstreamMetrics {
  readonly observer: UpstreamObserver;

  constructor(registry: Registry) {
    const registers = [registry];
    const signCalls = new Counter({
      name: 'tiktool_sign_calls_total',
      help: 'Calls to the sign provider, by outcome: ok, rate_limited (429), rejected (key), failed',
      labelNames: ['outcome'],
      registers,
    });
    const signWaits = new Histogram({
      name: 'tiktool_sign_wait_seconds',
      help: 'How long sign calls waited for a slot of the sign budget (only calls that waited)',
      buckets: [0.1, 1, 5, 15, 30, 60, 120, 300],
      registers,
    });
    const signRefusals = new Counter({
      name: 'tiktool_sign_refusals_total',
      help: 'Connects refused because no sign budget slot came within the longest wait',
      registers,
    });
    const routeBackoffs = new Counter({
      name: 'tiktool_upstream_route_backoffs_total',
      help: 'Times a route to TikTok (direct or a proxy, password masked) was benched, by error code (BLOCKED, NETWORK)',
      labelNames: ['route', 'code'],
      registers,
    });
    this.observer = {
      signCall: (outcome) => signCalls.inc({ outcome }),
      signWait: (ms) => signWaits.observe(ms / 1000),
      signRefused: () => signRefusals.inc(),
      routeBenched: (route, code) => routeBackoffs.inc({ route, code }),
    };
  }
}
