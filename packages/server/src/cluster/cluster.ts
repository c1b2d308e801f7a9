import type { Upstream } from '@tiktool/webcast';
import type { GatewayConfig } from '../config.js';
import {
  CLUSTER_CONNECT_TIMEOUT_MS,
  LIVE_CHECK_BUDGET_WINDOW_MS,
  LIVE_CHECK_MAX_DOUBLINGS,
  REDIS_STARTUP_TIMEOUT_MS,
} from '../defaults.js';
import type { CreatorSource } from '../hub/hub.js';
import type { SessionStore } from '../hub/session-store.js';
import type { Limiter } from '../limits/limiter.js';
import type { ClusterLiveParts } from '../live/live-checks.js';
import type { Logger } from '../logger.js';
import { ChannelRouter } from './channel-router.js';
import { Handovers } from './handovers.js';
import { liveCheckBudgetKeys } from './keys.js';
import { RedisLiveCheckShare } from './live-check-lease.js';
import { clusterSource } from './cluster-source.js';
import { connectRedis, whenReady, type ClusterRedis } from './redis-connection.js';
import { RedisLimiter } from './redis-limiter.js';
import { RedisSessionStore } from './redis-session-store.js';
import { RedisSlotStore } from './redis-sign-budget.js';

/** What a gateway node shares with the others through Redis. */
export interface Cluster {
  readonly redis: ClusterRedis;
  readonly limiter: Limiter;
  readonly sessions: SessionStore;
  /** The live checks' budget and turns, for the whole cluster. */
  readonly live: ClusterLiveParts;
  source(upstream: Upstream): CreatorSource;
  /** False while Redis is unreachable. */
  ready(): boolean;
  close(): Promise<void>;
}

/** Connects this node to the cluster's Redis; the node keeps reconnecting if Redis goes away. */
export async function joinCluster(redisUrl: string, config: GatewayConfig, log: Logger): Promise<Cluster> {
  const redis = connectRedis(redisUrl, 'tiktool');
  const sub = connectRedis(redisUrl, 'tiktool-sub');
  for (const [conn, role] of [
    [redis, 'commands'],
    [sub, 'subscriber'],
  ] as const) {
    let down = false;
    conn.on('error', (err: Error) => {
      if (!down) log.warn({ role, err: err.message }, 'Redis connection error; reconnecting');
      down = true;
    });
    conn.on('ready', () => {
      if (down) log.info({ role }, 'Redis connection restored');
      down = false;
    });
  }
  try {
    await Promise.all([whenReady(redis, REDIS_STARTUP_TIMEOUT_MS), whenReady(sub, REDIS_STARTUP_TIMEOUT_MS)]);
  } catch (err) {
    redis.disconnect();
    sub.disconnect();
    throw err;
  }
  const router = new ChannelRouter(sub);
  const limiter = new RedisLimiter(redis);
  const sessions = new RedisSessionStore(redis, config.sessionTtlMs, log);
  const handovers = new Handovers();
  return {
    redis,
    limiter,
    sessions,
    live: liveParts(redis, router, config),
    source: (upstream) =>
      clusterSource(
        redis,
        router,
        upstream,
        {
          leaseMs: config.upstreamLeaseMs,
          historyMaxEvents: config.historyMaxEvents,
          historyTtlMs: config.historyMaxAgeMs,
          connectTimeoutMs: CLUSTER_CONNECT_TIMEOUT_MS,
        },
        log,
        handovers,
      ),
    ready: () => redis.status === 'ready' && sub.status === 'ready',
    async close() {
      // Released leases let another node take our creators at once instead of after expiry.
      await handovers.drain();
      await limiter.close();
      sessions.close();
      redis.disconnect();
      sub.disconnect();
    },
  };
}

function liveParts(redis: ClusterRedis, router: ChannelRouter, config: GatewayConfig): ClusterLiveParts {
  return {
    budget: new RedisSlotStore(
      redis,
      { ratePerMinute: config.liveChecksPerMinute, windowMs: LIVE_CHECK_BUDGET_WINDOW_MS },
      liveCheckBudgetKeys,
    ),
    // A result outlives the longest wait between two checks of a creator whose checks fail.
    share: new RedisLiveCheckShare(redis, router, config.liveCheckMs * 2 ** (LIVE_CHECK_MAX_DOUBLINGS + 1)),
  };
}
