import {
  admissionOf,
  windowEnd,
  windowIndex,
  type RequestAdmission,
  type RequestLimiter,
  type RequestQuota,
  type RequestWindow,
} from '../limits/request-limiter.js';
import { requestKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/** A counter outlives its window by this much, so a slow clock on one node still finds it. */
const EXPIRY_MARGIN_MS = 60_000;

const limitArg = (n: number) => (Number.isFinite(n) ? n : -1);

/** The cluster-wide request limits: one counter per key and window in Redis, checked and counted in one script. */
export class RedisRequestLimiter implements RequestLimiter {
  constructor(
    private readonly redis: ClusterRedis,
    private readonly now: () => number = Date.now,
  ) {}

  take(owner: string, quota: RequestQuota): Promise<RequestAdmission> {
    return this.call(owner, quota, true);
  }

  peek(owner: string, quota: RequestQuota): Promise<RequestAdmission> {
    return this.call(owner, quota, false);
  }

  async close(): Promise<void> {}

  private async call(owner: string, quota: RequestQuota, take: boolean): Promise<RequestAdmission> {
    const now = this.now();
    const keys = requestKeys(owner, windowIndex('minute', now), windowIndex('day', now));
    const ttl = (w: RequestWindow) => windowEnd(w, now) - now + EXPIRY_MARGIN_MS;
    const [refused, minute, day] = await this.redis.ttRequests(
      keys.minute,
      keys.day,
      limitArg(quota.perMinute),
      limitArg(quota.perDay),
      ttl('minute'),
      ttl('day'),
      take ? 1 : 0,
    );
    const counts = { minute: Number(minute), day: Number(day) };
    return admissionOf(counts, quota, now, refused === '' ? undefined : (refused as RequestWindow));
  }
}
