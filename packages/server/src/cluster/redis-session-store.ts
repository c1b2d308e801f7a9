import type { CreatorEventName } from '@tiktool/protocol';
import type { Logger } from '../logger.js';
import { SessionRegistry } from '../hub/session-registry.js';
import type { SessionStore } from '../hub/session-store.js';
import type { Session } from '../hub/session.js';
import { sessionKey } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/**
 * Sessions shared by every node, so a client can resume on any of them (its node may have
 * died). This node's own sessions stay in memory too; Redis holds what another node needs:
 * creator, key, filter, epoch and the last seq sent when the socket closed.
 */
export class RedisSessionStore implements SessionStore {
  private readonly local: SessionRegistry;

  constructor(
    private readonly redis: ClusterRedis,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.local = new SessionRegistry(ttlMs);
  }

  create(uniqueId: string, keyId: string, events: ReadonlySet<CreatorEventName> | undefined, epoch: string): Session {
    const session = this.local.create(uniqueId, keyId, events, epoch);
    this.save(session);
    return session;
  }

  async find(id: string, uniqueId: string, keyId: string): Promise<Session | undefined> {
    const known = this.local.findNow(id, uniqueId, keyId);
    if (known) return known;
    const h = await this.redis.hgetall(sessionKey(id)).catch(() => ({}) as Record<string, string>);
    if (h.uniqueId !== uniqueId || h.keyId !== keyId) return undefined;
    const session = this.local.adopt({
      id,
      uniqueId,
      keyId,
      events: h.events ? new Set(h.events.split(',') as CreatorEventName[]) : undefined,
      epoch: h.epoch,
      lastSentSeq: Number(h.lastSentSeq ?? 0),
      detachedAt: Date.now(),
      detach: undefined,
    });
    return session;
  }

  detached(session: Session): void {
    this.local.detached(session);
    this.save(session);
  }

  get size(): number {
    return this.local.size;
  }

  close(): void {
    this.local.close();
  }

  private save(s: Session): void {
    const key = sessionKey(s.id);
    this.redis
      .multi()
      .hset(key, {
        uniqueId: s.uniqueId,
        keyId: s.keyId,
        events: s.events ? [...s.events].join(',') : '',
        epoch: s.epoch,
        lastSentSeq: String(s.lastSentSeq),
      })
      .pexpire(key, this.ttlMs)
      .exec()
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not save a session to Redis'));
  }
}
