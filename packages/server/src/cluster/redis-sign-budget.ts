/**
 * The sign budget shared by every node of a cluster: the same sliding window as the
 * in-memory one (MemorySlotStore), its reserved start times in one Redis sorted set and
 * updated by one script, so TIKTOOL_SIGN_RATE bounds the sign calls of the whole
 * cluster. Each node passes its own clock reading (node clocks are assumed to agree to
 * well within the window).
 */

import { defaults, reservationId, type BucketParams, type Reservation, type SlotStore } from '@tiktool/webcast';
import type { ClusterRedis } from './redis-connection.js';

/** One budget for the cluster; the hash tag keeps both keys on one Redis Cluster slot. */
export const signBudgetKeys = {
  starts: 'tt:{sign}:starts',
  paused: 'tt:{sign}:paused',
};

/**
 * KEYS: starts (sorted set id -> start time), paused (string: no start before).
 * ARGV: now, ratePerMinute, windowMs, maxWaitMs, id, ttlMs.
 * Returns {granted 0|1, start time}.
 */
export const SIGN_RESERVE = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local at = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
if n > 0 then
  local count = redis.call('ZCARD', KEYS[1])
  if count >= n then
    local s = redis.call('ZRANGE', KEYS[1], count - n, count - n, 'WITHSCORES')
    at = math.max(at, tonumber(s[2]) + window)
  end
end
if at - now > tonumber(ARGV[4]) then return {0, tostring(at)} end
if n > 0 then
  redis.call('ZADD', KEYS[1], at, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
return {1, tostring(at)}
`;

/** KEYS: paused. ARGV: until, ms. Moves "no start before" later, never earlier. */
export const SIGN_PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;

type SignBudgetRedis = ClusterRedis & {
  ttSignReserve(starts: string, paused: string, ...argv: (string | number)[]): Promise<[number, string]>;
  ttSignPause(paused: string, until: number, ms: number): Promise<number>;
};

export class RedisSlotStore implements SlotStore {
  private readonly redis: SignBudgetRedis;

  constructor(
    redis: ClusterRedis,
    private readonly p: BucketParams,
    private readonly keys = signBudgetKeys,
  ) {
    redis.defineCommand('ttSignReserve', { numberOfKeys: 2, lua: SIGN_RESERVE });
    redis.defineCommand('ttSignPause', { numberOfKeys: 1, lua: SIGN_PAUSE });
    this.redis = redis as SignBudgetRedis;
  }

  async reserve(now: number, maxWaitMs: number): Promise<Reservation> {
    const id = reservationId(now);
    // Reservations stay until they can no longer limit a start.
    const ttlMs = Math.ceil(maxWaitMs + this.p.windowMs);
    const [granted, at] = await this.redis.ttSignReserve(
      this.keys.starts,
      this.keys.paused,
      now,
      this.p.ratePerMinute,
      this.p.windowMs,
      maxWaitMs,
      id,
      ttlMs,
    );
    return { granted: Number(granted) === 1, at: Number(at), id };
  }

  async refund(id: string): Promise<void> {
    await this.redis.zrem(this.keys.starts, id);
  }

  async pause(now: number, ms: number): Promise<void> {
    const capped = Math.min(ms, defaults.MAX_SIGN_RETRY_AFTER_MS);
    await this.redis.ttSignPause(this.keys.paused, now + capped, capped);
  }
}
