import type { CreatorPosition } from '../hub/session.js';

/** What planning needs of the creator's stream: its epoch and the seqs it still holds. */
export interface StreamPosition {
  readonly epoch: string;
  readonly head: number;
  readonly oldestSeq: number;
}

/** One creator of a connection, as it starts streaming. */
export interface ResumeRequest {
  /** The connection named a session to resume (whether or not it was found). */
  resuming: boolean;
  /** The creator's position in the resumed session, when the session was found and held the creator. */
  found: CreatorPosition | undefined;
  /** The client's own last processed seq of this creator (`lastSeq`, or its `lastSeqs` entry). */
  lastSeq: number | undefined;
  stream: StreamPosition;
  /** Where a connection that resumes nothing starts: see `Creator.joinSeq`. */
  joinSeq: number;
}

/** Where a connection starts reading one creator's stream, and what its roomInfo says of it. */
export interface ResumePlan {
  /** The session's position in this creator's stream, kept up to date as events are sent. */
  position: CreatorPosition;
  fromSeq: number;
  resumed: boolean;
  recovered: boolean;
}

/**
 * A new position, or the found one continued: from the seq after its last one when the
 * stream still holds it (recovered), else from what the stream has left. Each creator of
 * a roster is planned alone, so one creator's gap says nothing of the others.
 */
export function planResume(request: ResumeRequest): ResumePlan {
  const { found, stream, joinSeq } = request;
  if (!found) {
    return { position: { epoch: stream.epoch, lastSentSeq: joinSeq - 1 }, fromSeq: joinSeq, resumed: request.resuming, recovered: false };
  }
  if (found.epoch !== stream.epoch) {
    // The stream this position was in is gone (or the creator never streamed on the session); its seqs mean nothing here.
    found.epoch = stream.epoch;
    found.lastSentSeq = joinSeq - 1;
    return { position: found, fromSeq: joinSeq, resumed: true, recovered: false };
  }
  const after = request.lastSeq ?? found.lastSentSeq;
  const from = (fromSeq: number, recovered: boolean): ResumePlan => {
    found.lastSentSeq = fromSeq - 1;
    return { position: found, fromSeq, resumed: true, recovered };
  };
  if (after > stream.head) return from(stream.head + 1, false);
  if (after + 1 < stream.oldestSeq) return from(stream.oldestSeq, false);
  return from(after + 1, true);
}
