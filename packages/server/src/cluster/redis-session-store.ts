import type { CreatorEventName } from '@tiktool/protocol';
import type { Logger } from '../logger.js';
import { SessionRegistry } from '../hub/session-registry.js';
import type { SessionStore } from '../hub/session-store.js';
import type { CreatorPosition, Session } from '../hub/session.js';
import { sessionKey } from './keys.js';
import type { ClusterRedis } from './redis-connection.js';

/**
 * Sessions shared by every node, so a client can resume on any of them (its node may have
 * died). This node's own sessions stay in memory too; Redis holds what another node needs:
 * key, filter, and per creator (in roster order) the epoch and the last seq sent when the
 * socket closed.
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

  create(keyId: string, roster: boolean, events: ReadonlySet<CreatorEventName> | undefined): Session {
    const session = this.local.create(keyId, roster, events);
    this.save(session);
    return session;
  }

  async find(id: string, keyId: string): Promise<Session | undefined> {
    const known = this.local.findNow(id, keyId);
    if (known) return known;
    const h = await this.redis.hgetall(sessionKey(id)).catch(() => ({}) as Record<string, string>);
    if (h.keyId !== keyId) return undefined;
    return this.local.adopt({
      id,
      keyId,
      roster: h.roster === '1',
      events: h.events ? new Set(h.events.split(',') as CreatorEventName[]) : undefined,
      creators: parseCreators(h.creators),
      detachedAt: Date.now(),
      detach: undefined,
    });
  }

  changed(session: Session): void {
    this.save(session);
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
        keyId: s.keyId,
        roster: s.roster ? '1' : '0',
        events: s.events ? [...s.events].join(',') : '',
        creators: JSON.stringify([...s.creators].map(([uniqueId, p]) => [uniqueId, p.epoch, p.lastSentSeq])),
      })
      .pexpire(key, this.ttlMs)
      .exec()
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not save a session to Redis'));
  }
}

/** The creators field: `[[uniqueId, epoch, lastSentSeq], ...]` in roster order; none when absent or unreadable. */
function parseCreators(field: string | undefined): Map<string, CreatorPosition> {
  const creators = new Map<string, CreatorPosition>();
  try {
    for (const [uniqueId, epoch, lastSentSeq] of JSON.parse(field ?? '[]') as [string, string, number][]) {
      creators.set(uniqueId, { epoch, lastSentSeq });
    }
  } catch {
    // A field this node cannot read (another version wrote it) resumes as unknown positions.
    creators.clear();
  }
  return creators;
}
