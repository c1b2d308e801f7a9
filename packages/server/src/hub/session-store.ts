import type { CreatorEventName } from '@tiktool/protocol';
import type { Session } from './session.js';

/** Where sessions live: this process (single node) or Redis (a cluster, resume on any node). */
export interface SessionStore {
  create(uniqueId: string, keyId: string, events: ReadonlySet<CreatorEventName> | undefined, epoch: string): Session;
  /** The session if it exists, has not expired, and belongs to this key and creator. */
  find(id: string, uniqueId: string, keyId: string): Promise<Session | undefined>;
  /** The session's socket closed: it may be resumed until its TTL runs out. */
  detached(session: Session): void;
  readonly size: number;
  close(): void;
}
