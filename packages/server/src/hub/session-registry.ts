import { randomBytes } from 'node:crypto';
import type { CreatorEventName } from '@tiktool/protocol';
import type { Session } from './session.js';
import type { SessionStore } from './session-store.js';

/** Sessions in this process: live and recently detached ones, by id; detached ones expire after the TTL. */
export class SessionRegistry implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  create(keyId: string, roster: boolean, events: ReadonlySet<CreatorEventName> | undefined): Session {
    const session: Session = {
      id: randomBytes(16).toString('base64url'),
      keyId,
      roster,
      events,
      creators: new Map(),
      detachedAt: undefined,
      detach: undefined,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  async find(id: string, keyId: string): Promise<Session | undefined> {
    return this.findNow(id, keyId);
  }

  /** The session as this process knows it, without waiting. */
  findNow(id: string, keyId: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s || s.keyId !== keyId) return undefined;
    if (s.detachedAt !== undefined && this.now() - s.detachedAt > this.ttlMs) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** Takes in a session another node created (cluster mode). */
  adopt(session: Session): Session {
    this.sessions.set(session.id, session);
    return session;
  }

  changed(_session: Session): void {
    // The session object is the one a resume finds: nothing to copy.
  }

  detached(session: Session): void {
    session.detachedAt = this.now();
    session.detach = undefined;
  }

  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sessions.clear();
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, s] of this.sessions) {
      if (s.detachedAt !== undefined && s.detachedAt < cutoff) this.sessions.delete(id);
    }
  }
}
