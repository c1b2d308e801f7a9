import { randomBytes } from 'node:crypto';
import type { ClusterRedis } from './redis-connection.js';

/**
 * The lease on a creator's upstream: one node at a time holds it (a token in a key that
 * expires), renews it while its upstream runs, and releases it when it hands over. A node
 * that died stops renewing, so another takes the lease within its TTL.
 */
export class UpstreamLease {
  readonly token = randomBytes(12).toString('base64url');

  constructor(
    private readonly redis: ClusterRedis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * Takes the lease if nobody holds it. True also when this node's token is already there:
   * the renewal timer and a fenced write may both retake a lapsed lease at once (after a
   * Redis node came back empty), and the one that loses the race still owns it.
   */
  async take(): Promise<boolean> {
    if ((await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK') return true;
    return (await this.redis.get(this.key)) === this.token;
  }

  /** Renews the lease if this node still holds it. */
  async renew(): Promise<boolean> {
    return (await this.redis.ttRenew(this.key, this.token, this.ttlMs)) === 1;
  }

  /** Renews the lease, or takes it again if it lapsed and nobody else took it. False when another node holds it. */
  async hold(): Promise<boolean> {
    return (await this.renew()) || (await this.take());
  }

  async release(): Promise<void> {
    await this.redis.ttRelease(this.key, this.token).catch(() => undefined);
  }
}
