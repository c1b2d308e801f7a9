import { Cluster, Redis } from 'ioredis';
import { REDIS_CLUSTER_MAX_REDIRECTIONS, REDIS_CLUSTER_RETRY_DELAY_MS, REDIS_CLUSTER_SLOTS_REFRESH_MS } from '../defaults.js';
import { ADMIT, APPEND, ENSURE_EPOCH, HOLD_CREATOR, NOTICE, RELEASE, RENEW, REQUESTS, RESET, type PublishCommand } from './scripts.js';
import { parseRedisTarget, type RedisTarget } from './redis-target.js';

/** Reconnect backoff ceiling: a node keeps trying for as long as Redis is away. */
const RECONNECT_MAX_DELAY_MS = 2_000;

type Reply = (string | number | null)[];

/** The gateway's Lua scripts, defined once on the connection; call them through script-calls.ts. */
interface ScriptCommands {
  ttAppend(meta: string, log: string, ids: string, owner: string, ...argv: (string | number)[]): Promise<Reply>;
  ttReset(meta: string, log: string, ids: string, owner: string, token: string, epoch: string, ttlMs: number): Promise<number>;
  ttEnsureEpoch(meta: string, epochIfNew: string, ttlMs: number): Promise<[string, string]>;
  ttRenew(key: string, token: string, ttlMs: number): Promise<number>;
  ttRelease(key: string, token: string): Promise<number>;
  ttNotice(meta: string, owner: string, ...argv: string[]): Promise<number>;
  ttAdmit(sockets: string, connects: string, creators: string, holds: string, ...argv: (string | number)[]): Promise<[string, number]>;
  ttHoldCreator(
    sockets: string,
    connects: string,
    creators: string,
    holds: string,
    ...argv: (string | number)[]
  ): Promise<[string, number]>;
  ttRequests(minute: string, day: string, ...argv: (string | number)[]): Promise<[string, number, number]>;
}

/** The gateway's Redis commands, on one Redis or on a Redis Cluster (ioredis routes each by its first key's slot). */
export type ClusterRedis = (Redis | Cluster) & ScriptCommands;

const backoff = (times: number) => Math.min(times * 100, RECONNECT_MAX_DELAY_MS);

/** How notices are published on this target: sharded pub/sub on a cluster (scripts.ts). */
const publishCommand = (target: RedisTarget): PublishCommand => (target.kind === 'cluster' ? 'SPUBLISH' : 'PUBLISH');

/**
 * A connection that fails fast while Redis is unreachable (no offline queue), so the
 * gateway notices at once and reports not-ready, and reconnects with backoff forever. On
 * a cluster it follows MOVED/ASK redirects and refreshes its slot map after a failover,
 * and a subscriber connection subscribes with SSUBSCRIBE, one connection per master.
 */
export function connectRedis(url: string, name: string, role: 'commands' | 'subscriber' = 'commands'): ClusterRedis {
  const target = parseRedisTarget(url);
  const redis = target.kind === 'cluster' ? connectCluster(target, name, role === 'subscriber') : connectStandalone(target.url, name);
  const publish = publishCommand(target);
  redis.defineCommand('ttAppend', { numberOfKeys: 4, lua: APPEND(publish) });
  redis.defineCommand('ttReset', { numberOfKeys: 4, lua: RESET });
  redis.defineCommand('ttEnsureEpoch', { numberOfKeys: 1, lua: ENSURE_EPOCH });
  redis.defineCommand('ttRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('ttRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('ttNotice', { numberOfKeys: 2, lua: NOTICE(publish) });
  redis.defineCommand('ttAdmit', { numberOfKeys: 4, lua: ADMIT });
  redis.defineCommand('ttHoldCreator', { numberOfKeys: 4, lua: HOLD_CREATOR });
  redis.defineCommand('ttRequests', { numberOfKeys: 2, lua: REQUESTS });
  return redis as ClusterRedis;
}

function connectStandalone(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: backoff,
    lazyConnect: false,
  });
}

/**
 * Like the single connection, a cluster connection fails a command soon rather than
 * holding it while a master is away: the owner then serves its clients from memory
 * instead of stalling on each write. A command still follows MOVED/ASK redirects.
 */
function connectCluster(target: Extract<RedisTarget, { kind: 'cluster' }>, name: string, subscriber: boolean): Cluster {
  return new Cluster(target.nodes, {
    enableOfflineQueue: false,
    maxRedirections: REDIS_CLUSTER_MAX_REDIRECTIONS,
    // Each retry after a closed connection first refreshes the slot map (a replica may have been promoted).
    retryDelayOnFailover: REDIS_CLUSTER_RETRY_DELAY_MS,
    // A cluster without a master for some slots refuses every command until it has one again.
    retryDelayOnClusterDown: 0,
    slotsRefreshInterval: REDIS_CLUSTER_SLOTS_REFRESH_MS,
    clusterRetryStrategy: backoff,
    shardedSubscribers: subscriber,
    redisOptions: {
      connectionName: name,
      maxRetriesPerRequest: 1,
      username: target.username,
      password: target.password,
      tls: target.tls ? {} : undefined,
    },
    lazyConnect: false,
  });
}

/** Resolves once the connection is ready, or rejects after the timeout. */
export async function whenReady(redis: Redis | Cluster, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
