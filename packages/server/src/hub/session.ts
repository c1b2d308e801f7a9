import type { CreatorEventName, GiftMode } from '@tiktool/protocol';
import type { EntryKind } from './creator-stream.js';

/** Where a session stands in one creator's stream. */
export interface CreatorPosition {
  /** Epoch of the creator stream `lastSentSeq` belongs to; '' before the creator streamed on the session. */
  epoch: string;
  /** Seq of the last event sent on this session (not necessarily received). */
  lastSentSeq: number;
}

/**
 * A client's subscription to its creators, surviving its sockets: a resume with the
 * session's id continues where it stopped. A single-creator socket's session holds one
 * creator; a roster's holds the roster (its creators, in order, are the keys of
 * `creators`), so its id restores the roster.
 */
export interface Session {
  readonly id: string;
  readonly keyId: string;
  /** Made by a roster socket (`uniqueIds`); a single socket's session resumes only on a single socket, and the other way round. */
  readonly roster: boolean;
  /** The filter of the socket attached last: a resume gets the filter it asks for. */
  events: ReadonlySet<CreatorEventName> | undefined;
  readonly creators: Map<string, CreatorPosition>;
  /** When the session's last socket closed; undefined while one is open. */
  detachedAt: number | undefined;
  /** Closes the socket currently attached to the session, if any. */
  detach: ((code: number, reason: string) => void) | undefined;
}

/** A creator's position before it streamed on the session. */
export const notStreamed = (): CreatorPosition => ({ epoch: '', lastSentSeq: 0 });

export function wantsEvent(session: Pick<Session, 'events'>, event: CreatorEventName): boolean {
  return session.events === undefined || session.events.has(event);
}

/** The filter of one connection: its session's event names, and `gifts=final`. */
export function wantsEntry(session: Pick<Session, 'events'>, gifts: GiftMode, entry: EntryKind): boolean {
  return wantsEvent(session, entry.event) && !(gifts === 'final' && entry.streakProgress);
}
