import { randomBytes } from 'node:crypto';
import {
  CONNECT_WINDOW_MS,
  SOCKET_LEASE_TTL_MS,
  SOCKET_RETRY_AFTER_S,
  type AdmitRequest,
  type Admission,
  type Limiter,
  type LimitName,
  type Usage,
} from '../limits/limiter.js';
import { limiterKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/**
 * The cluster-wide limiter: a sorted set of socket leases per key, scored by expiry,
 * pruned and counted in one script. Each node renews the leases of its live sockets, so
 * the sockets of a node that died stop counting within the lease TTL.
 */
export class RedisLimiter implements Limiter {
  private readonly held = new Map<string, { key: string; member: string }>();
  private readonly renewer: NodeJS.Timeout;

  constructor(
    private readonly redis: ClusterRedis,
    private readonly leaseTtlMs = SOCKET_LEASE_TTL_MS,
  ) {
    this.renewer = setInterval(() => void this.renewAll(), leaseTtlMs / 3);
    this.renewer.unref();
  }

  async admit(r: AdmitRequest): Promise<Admission> {
    const keys = limiterKeys(r.owner);
    const leaseId = randomBytes(8).toString('base64url');
    const member = `${leaseId}|${r.uniqueId}`;
    const now = Date.now();
    const [result, retryMs] = await this.redis.ttAdmit(
      keys.sockets,
      keys.connects,
      now,
      this.leaseTtlMs,
      member,
      r.maxSockets,
      r.maxCreators,
      Number.isFinite(r.connectsPerHour) ? r.connectsPerHour : -1,
      r.countConnect ? 1 : 0,
      CONNECT_WINDOW_MS,
      `${now}-${leaseId}`,
      r.uniqueId,
    );
    if (result !== 'ok') {
      const limit = result as LimitName;
      const retryAfterS = limit === 'connects' ? Math.max(1, Math.ceil(Number(retryMs) / 1000)) : SOCKET_RETRY_AFTER_S;
      return { ok: false, limit, retryAfterS };
    }
    this.held.set(leaseId, { key: keys.sockets, member });
    return {
      ok: true,
      lease: {
        release: async () => {
          this.held.delete(leaseId);
          await this.redis.zrem(keys.sockets, member).catch(() => undefined);
        },
      },
    };
  }

  async usage(owner: string): Promise<Usage> {
    const keys = limiterKeys(owner);
    const now = Date.now();
    const [members, connects] = await Promise.all([
      this.redis.zrangebyscore(keys.sockets, now, '+inf'),
      this.redis.zrangebyscore(keys.connects, now - CONNECT_WINDOW_MS, '+inf', 'WITHSCORES'),
    ]);
    return {
      sockets: members.length,
      creators: new Set(members.map((m) => m.slice(m.indexOf('|') + 1))).size,
      connectsInWindow: connects.length / 2,
      connectsResetAt: connects.length > 0 ? Number(connects[1]) + CONNECT_WINDOW_MS : undefined,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.renewer);
    const pipeline = this.redis.pipeline();
    for (const { key, member } of this.held.values()) pipeline.zrem(key, member);
    this.held.clear();
    await pipeline.exec().catch(() => undefined);
  }

  private async renewAll(): Promise<void> {
    if (this.held.size === 0) return;
    const expiresAt = Date.now() + this.leaseTtlMs;
    const pipeline = this.redis.pipeline();
    for (const { key, member } of this.held.values()) pipeline.zadd(key, 'XX', expiresAt, member);
    // A failed renewal is retried on the next tick; the lease TTL covers one miss.
    await pipeline.exec().catch(() => undefined);
  }
}
