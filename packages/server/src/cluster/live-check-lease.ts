import type { CheckResult, LiveCheckShare } from '../live/live-check-share.js';
import type { LiveStatus } from '../live/live-status.js';
import type { ChannelRouter } from './channel-router.js';
import { liveCheckKeys } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/**
 * The nodes of a cluster taking turns at checking a creator: the turn is a lease in Redis
 * (SET NX PX), taken by whichever node's timer comes first; the winner's result is kept as
 * the latest and published on the creator's channel, so every node's listeners hear it.
 */
export class RedisLiveCheckShare implements LiveCheckShare {
  /** The followers on this node of each creator's channel: a checker that stops and one that starts may overlap. */
  private readonly followed = new Map<string, Set<(result: CheckResult) => void>>();

  constructor(
    private readonly redis: ClusterRedis,
    private readonly router: ChannelRouter,
    /** How long a latest result is kept: longer than any node waits between checks. */
    private readonly keepMs: number,
  ) {}

  async claim(uniqueId: string, ms: number): Promise<boolean> {
    return (await this.redis.set(liveCheckKeys(uniqueId).lease, '1', 'PX', Math.max(1, Math.round(ms)), 'NX')) === 'OK';
  }

  async share(uniqueId: string, result: CheckResult, holdMs: number): Promise<void> {
    const keys = liveCheckKeys(uniqueId);
    const message = JSON.stringify(result);
    const tx = this.redis.multi().set(keys.latest, message, 'PX', Math.max(this.keepMs, Math.round(holdMs * 2)));
    if (holdMs > 0) tx.set(keys.lease, '1', 'PX', Math.round(holdMs));
    await tx.publish(keys.channel, message).exec();
  }

  async latest(uniqueId: string): Promise<CheckResult | undefined> {
    return parseResult(await this.redis.get(liveCheckKeys(uniqueId).latest), uniqueId);
  }

  async follow(uniqueId: string, onResult: (result: CheckResult) => void): Promise<() => void> {
    const { channel } = liveCheckKeys(uniqueId);
    let followers = this.followed.get(channel);
    if (!followers) {
      const all = new Set<(result: CheckResult) => void>();
      followers = all;
      this.followed.set(channel, all);
      await this.router.subscribe(channel, (message) => {
        const result = parseResult(message, uniqueId);
        if (result) for (const f of [...all]) f(result);
      });
    }
    const mine = followers;
    mine.add(onResult);
    return () => {
      mine.delete(onResult);
      if (mine.size > 0 || this.followed.get(channel) !== mine) return;
      this.followed.delete(channel);
      void this.router.unsubscribe(channel);
    };
  }

  async close(): Promise<void> {
    const channels = [...this.followed.keys()];
    this.followed.clear();
    await Promise.all(channels.map((channel) => this.router.unsubscribe(channel)));
  }
}

/** A result as another node wrote it; anything else (an older format, junk) is ignored. */
function parseResult(text: string | null, uniqueId: string): CheckResult | undefined {
  if (text === null) return undefined;
  try {
    const r = JSON.parse(text) as { status?: Partial<LiveStatus>; failed?: unknown };
    const s = r.status;
    if (!s || s.uniqueId !== uniqueId || typeof s.live !== 'boolean' || typeof s.checkedAt !== 'number') return undefined;
    const status: LiveStatus = {
      uniqueId,
      live: s.live,
      exists: s.exists !== false,
      checkedAt: s.checkedAt,
      reason: typeof s.reason === 'string' ? s.reason : undefined,
      room: s.live ? s.room : undefined,
    };
    return { status, failed: r.failed === true };
  } catch {
    return undefined;
  }
}
