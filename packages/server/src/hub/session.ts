import type { CreatorEventName, GiftMode } from '@tiktool/protocol';
import type { EntryKind } from './creator-stream.js';

/**
 * A client's subscription to one creator, surviving its sockets: a resume with the
 * session's id continues where it stopped.
 */
export interface Session {
  readonly id: string;
  readonly uniqueId: string;
  readonly keyId: string;
  /** The filter of the socket attached last: a resume gets the filter it asks for. */
  events: ReadonlySet<CreatorEventName> | undefined;
  /** Epoch of the creator stream the seqs below belong to. */
  epoch: string;
  /** Seq of the last event sent on this session (not necessarily received). */
  lastSentSeq: number;
  /** When the session's last socket closed; undefined while one is open. */
  detachedAt: number | undefined;
  /** Closes the socket currently attached to the session, if any. */
  detach: ((code: number, reason: string) => void) | undefined;
}

export function wantsEvent(session: Pick<Session, 'events'>, event: CreatorEventName): boolean {
  return session.events === undefined || session.events.has(event);
}

/** The filter of one connection: its session's event names, and `gifts=final`. */
export function wantsEntry(session: Pick<Session, 'events'>, gifts: GiftMode, entry: EntryKind): boolean {
  return wantsEvent(session, entry.event) && !(gifts === 'final' && entry.streakProgress);
}
