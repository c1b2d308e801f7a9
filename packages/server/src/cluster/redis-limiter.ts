import { randomBytes } from 'node:crypto';
import { CONNECT_WINDOW_MS, SOCKET_LEASE_TTL_MS, SOCKET_RETRY_AFTER_S, TOKEN_MINT_WINDOW_MS } from '../defaults.js';
import type {
  AdmitRequest,
  Admission,
  CreatorAdmission,
  CreatorHoldRequest,
  Limiter,
  LimitName,
  MintAdmission,
  Usage,
} from '../limits/limiter.js';
import { limiterKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';
import { admit, holdCreator } from './script-calls.js';

/** The creator in a socket lease member "leaseId|tokenId|uniqueId" ('' for a roster socket) or a hold "holdId|uniqueId". */
const creatorOf = (member: string) => member.slice(member.lastIndexOf('|') + 1);

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
    private readonly now: () => number = Date.now,
  ) {
    this.renewer = setInterval(() => void this.renewAll(), leaseTtlMs / 3);
    this.renewer.unref();
  }

  async admit(r: AdmitRequest): Promise<Admission> {
    const keys = limiterKeys(r.owner);
    const leaseId = randomBytes(8).toString('base64url');
    const member = `${leaseId}|${r.token?.id ?? ''}|${r.uniqueId ?? ''}`;
    const now = this.now();
    const { result, retryMs: ms } = await admit(this.redis, {
      keys,
      now,
      leaseTtlMs: this.leaseTtlMs,
      member,
      maxSockets: r.maxSockets,
      maxCreators: r.maxCreators,
      connectsPerHour: Number.isFinite(r.connectsPerHour) ? r.connectsPerHour : -1,
      countConnect: r.countConnect,
      windowMs: CONNECT_WINDOW_MS,
      connectMember: `${now}-${leaseId}`,
      uniqueId: r.uniqueId ?? '',
      tokenId: r.token?.id ?? '',
      tokenMaxSockets: r.token?.maxSockets ?? 0,
    });
    if (result !== 'ok') {
      return { ok: false, limit: result as LimitName, retryAfterS: ms > 0 ? Math.ceil(ms / 1000) : SOCKET_RETRY_AFTER_S };
    }
    this.held.set(leaseId, { key: keys.sockets, member });
    return { ok: true, lease: { release: () => this.release(leaseId, keys.sockets, member, r.owner, r.uniqueId, r.creatorLingerMs) } };
  }

  async holdCreator(r: CreatorHoldRequest): Promise<CreatorAdmission> {
    const keys = limiterKeys(r.owner);
    const holdId = randomBytes(8).toString('base64url');
    const member = `${holdId}|${r.uniqueId}`;
    const { result, retryMs: ms } = await holdCreator(this.redis, {
      keys,
      now: this.now(),
      leaseTtlMs: this.leaseTtlMs,
      member,
      maxCreators: r.maxCreators,
      uniqueId: r.uniqueId,
    });
    if (result !== 'ok') return { ok: false, limit: 'creators', retryAfterS: ms > 0 ? Math.ceil(ms / 1000) : SOCKET_RETRY_AFTER_S };
    this.held.set(holdId, { key: keys.holds, member });
    return { ok: true, lease: { release: () => this.release(holdId, keys.holds, member, r.owner, r.uniqueId, r.creatorLingerMs) } };
  }

  async mintToken(owner: string, perWindow: number): Promise<MintAdmission> {
    const key = limiterKeys(owner).mints;
    const replies = await this.redis.multi().set(key, 0, 'PX', TOKEN_MINT_WINDOW_MS, 'NX').incr(key).pttl(key).exec();
    const count = Number(replies?.[1]?.[1]);
    if (count <= perWindow) return { ok: true };
    return { ok: false, retryAfterS: Math.max(1, Math.ceil(Number(replies?.[2]?.[1]) / 1000)) };
  }

  async usage(owner: string): Promise<Usage> {
    const keys = limiterKeys(owner);
    const now = this.now();
    const [members, holds, lingering, connects] = await Promise.all([
      this.redis.zrangebyscore(keys.sockets, now, '+inf'),
      this.redis.zrangebyscore(keys.holds, now, '+inf'),
      this.redis.zrangebyscore(keys.creators, now, '+inf'),
      this.redis.zrangebyscore(keys.connects, now - CONNECT_WINDOW_MS, '+inf', 'WITHSCORES'),
    ]);
    return {
      sockets: members.length,
      creators: new Set([...members.map(creatorOf), ...holds.map(creatorOf), ...lingering].filter((u) => u !== '')).size,
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

  /** Frees a socket's or a hold's slot; its creator keeps a slot for the linger (GT: the latest close wins). */
  private async release(
    id: string,
    key: string,
    member: string,
    owner: string,
    uniqueId: string | undefined,
    lingerMs: number,
  ): Promise<void> {
    if (!this.held.delete(id)) return;
    const lingering = limiterKeys(owner).creators;
    const pipeline = this.redis.pipeline().zrem(key, member);
    if (uniqueId !== undefined && lingerMs > 0) {
      pipeline.zadd(lingering, 'GT', this.now() + lingerMs, uniqueId);
      pipeline.pexpire(lingering, Math.ceil(lingerMs));
    }
    await pipeline.exec().catch(() => undefined);
  }

  private async renewAll(): Promise<void> {
    if (this.held.size === 0) return;
    const expiresAt = this.now() + this.leaseTtlMs;
    const pipeline = this.redis.pipeline();
    const keys = new Set<string>();
    for (const { key, member } of this.held.values()) {
      pipeline.zadd(key, 'XX', expiresAt, member);
      keys.add(key);
    }
    // The sets outlive their leases: without this a long-lived socket's set would expire under it.
    for (const key of keys) pipeline.pexpire(key, this.leaseTtlMs * 2);
    // A failed renewal is retried on the next tick; the lease TTL covers one miss.
    await pipeline.exec().catch(() => undefined);
  }
}
