import type { ConnectParams } from '@tiktool/protocol';
import type { SessionStore } from '../hub/session-store.js';
import type { Session } from '../hub/session.js';

/** What planning needs of the creator's stream: its epoch and the seqs it still holds. */
export interface StreamPosition {
  readonly epoch: string;
  readonly head: number;
  readonly oldestSeq: number;
}

export interface ResumeRequest {
  params: Pick<ConnectParams, 'sessionId' | 'lastSeq' | 'events'>;
  uniqueId: string;
  keyId: string;
  /** The session the resume URL named, when the store still has it for this key and creator. */
  found: Session | undefined;
  stream: StreamPosition;
  /** Where a connection that resumes nothing starts: see `Creator.joinSeq`. */
  joinSeq: number;
}

/** Where a connection starts reading its creator's stream, and what roomInfo says of it. */
export interface ResumePlan {
  session: Session;
  fromSeq: number;
  resumed: boolean;
  recovered: boolean;
}

/**
 * A new session, or the found one continued: from the seq after its last one when the
 * stream still holds it (recovered), else from what the stream has left.
 */
export function planResume(sessions: SessionStore, request: ResumeRequest): ResumePlan {
  const { params, found, stream, joinSeq } = request;
  if (!found) {
    return {
      session: sessions.create(request.uniqueId, request.keyId, params.events, stream.epoch),
      fromSeq: joinSeq,
      resumed: params.sessionId !== undefined,
      recovered: false,
    };
  }
  // The filter is the one this connection asks for, not the one the session began with.
  found.events = params.events;
  if (found.epoch !== stream.epoch) {
    // The stream this session read is gone; its seqs mean nothing in the new one.
    found.epoch = stream.epoch;
    found.lastSentSeq = 0;
    return { session: found, fromSeq: joinSeq, resumed: true, recovered: false };
  }
  const after = params.lastSeq ?? found.lastSentSeq;
  if (after > stream.head) return { session: found, fromSeq: stream.head + 1, resumed: true, recovered: false };
  if (after + 1 < stream.oldestSeq) return { session: found, fromSeq: stream.oldestSeq, resumed: true, recovered: false };
  return { session: found, fromSeq: after + 1, resumed: true, recovered: true };
}
