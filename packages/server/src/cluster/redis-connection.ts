import { Redis } from 'ioredis';
import { ADMIT, APPEND, ENSURE_EPOCH, HOLD_CREATOR, NOTICE, RELEASE, RENEW, RESET } from './scripts.js';

/** Reconnect backoff ceiling: a node keeps trying for as long as Redis is away. */
const RECONNECT_MAX_DELAY_MS = 2_000;

type Reply = (string | number | null)[];

/** The gateway's Redis commands, with its Lua scripts defined once on the connection; call them through script-calls.ts. */
export interface ClusterRedis extends Redis {
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
}

/**
 * A connection that fails fast while Redis is unreachable (no offline queue), so the
 * gateway notices at once and reports not-ready, and reconnects with backoff forever.
 */
export function connectRedis(url: string, name: string): ClusterRedis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_MAX_DELAY_MS),
    lazyConnect: false,
  });
  redis.defineCommand('ttAppend', { numberOfKeys: 4, lua: APPEND });
  redis.defineCommand('ttReset', { numberOfKeys: 4, lua: RESET });
  redis.defineCommand('ttEnsureEpoch', { numberOfKeys: 1, lua: ENSURE_EPOCH });
  redis.defineCommand('ttRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('ttRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('ttNotice', { numberOfKeys: 2, lua: NOTICE });
  redis.defineCommand('ttAdmit', { numberOfKeys: 4, lua: ADMIT });
  redis.defineCommand('ttHoldCreator', { numberOfKeys: 4, lua: HOLD_CREATOR });
  return redis as ClusterRedis;
}

/** Resolves once the connection is ready, or rejects after the timeout. */
export async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
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
