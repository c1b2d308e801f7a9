import type { CreatorEventName } from '@tiktool/protocol';
import type { Session } from './session.js';

/** Where sessions live: this process (single node) or Redis (a cluster, resume on any node). */
export interface SessionStore {
  /** A new session of this key, holding no creator yet. */
  create(keyId: string, roster: boolean, events: ReadonlySet<CreatorEventName> | undefined): Session;
  /** The session if it exists, has not expired, and belongs to this key. */
  find(id: string, keyId: string): Promise<Session | undefined>;
  /** The session's roster changed: a resume on another node (its node may die) restores this one. */
  changed(session: Session): void;
  /** The session's socket closed: it may be resumed until its TTL runs out. */
  detached(session: Session): void;
  readonly size: number;
  close(): void;
}
