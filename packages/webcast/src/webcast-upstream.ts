/** The gateway's Upstream, backed by the WebCast client. */

import { emptyDecodeStats } from './decode/frame-decoder.js';
import { fetchGiftList } from './gift-list.js';
import { GiftStreakCloser } from './gift-streak-closer.js';
import { checkLive } from './live-check.js';
import { resolveOptions, type ResolvedOptions, type WebcastOptions } from './options.js';
import { parseProxyUrl } from './proxy-url.js';
import { fetchRoomDetails } from './room-details.js';
import { RoutePool } from './route-pool.js';
import { createSignBudget, type SignBudget } from './sign-budget.js';
import { throughRoutes } from './through-routes.js';
import { directRoute, proxyRoute } from './upstream-route.js';
import type { ConnectOptions, Upstream, UpstreamSink } from './upstream.js';
import { fetchUserProfile } from './user-profile.js';
import { WebcastConnection, type ConnectionStats } from './webcast-client.js';

export interface WebcastUpstream extends Upstream {
  connect(uniqueId: string, sink: UpstreamSink, options?: ConnectOptions): Promise<WebcastConnection>;
  /** Counters summed over every connection this upstream has opened. */
  stats(): ConnectionStats;
  /** Connections currently open. */
  readonly connections: ReadonlySet<WebcastConnection>;
}

function zeroStats(): ConnectionStats {
  return { ...emptyDecodeStats(), delivered: 0, duplicates: 0, reconnects: 0, heartbeatsSent: 0, acksSent: 0, firstFetches: 0 };
}

function addInto(total: ConnectionStats, s: ConnectionStats): void {
  for (const k of Object.keys(total) as (keyof ConnectionStats)[]) total[k] += s[k];
}

/** Direct when no proxy is configured; otherwise one route per proxy (never direct). */
function routePool(o: ResolvedOptions): RoutePool {
  const routes = o.proxies.length
    ? o.proxies.map((p) => proxyRoute(parseProxyUrl(p), o.requestTimeoutMs))
    : [directRoute(o.requestTimeoutMs)];
  return new RoutePool(routes, o.clock, o.observer);
}

function signBudget(o: ResolvedOptions): SignBudget {
  return (
    o.signBudget ??
    createSignBudget({
      ratePerMinute: o.signRatePerMinute,
      windowMs: o.signWindowMs,
      maxWaitMs: o.signMaxWaitMs,
      clock: o.clock,
      observer: o.observer,
    })
  );
}

export function createWebcastUpstream(options: WebcastOptions = {}): WebcastUpstream {
  const o = resolveOptions(options);
  const routes = routePool(o);
  const budget = signBudget(o);
  const open = new Set<WebcastConnection>();
  const retired = zeroStats();
  const onFinished = (c: WebcastConnection) => {
    if (open.delete(c)) addInto(retired, c.stats);
  };
  return {
    connections: open,
    async connect(uniqueId, sink, options = {}) {
      const streaks = new GiftStreakCloser(sink, o.giftStreakTimeoutMs);
      const c = WebcastConnection.create(uniqueId, streaks, o, routes, budget, (done) => {
        streaks.stop();
        onFinished(done);
      });
      // Tracked before it connects, so close() also stops connections still connecting.
      open.add(c);
      sink.opening?.(c);
      await c.start(options.resumeFrom);
      return c;
    },
    checkLive: (uniqueId, signal) => checkLive(uniqueId, o, routes, signal),
    room: (uniqueId, signal) => throughRoutes(routes, (http) => fetchRoomDetails(uniqueId, o, http, signal), signal),
    user: (uniqueId, signal) => throughRoutes(routes, (http) => fetchUserProfile(uniqueId, o, http, signal), signal),
    gifts: (region, signal) => throughRoutes(routes, (http) => fetchGiftList(region, o, http, signal), signal),
    stats() {
      const total = zeroStats();
      addInto(total, retired);
      for (const c of open) addInto(total, c.stats);
      return total;
    },
    async close() {
      for (const c of [...open]) c.close();
      await routes.close();
    },
  };
}
