import { CloseCode } from '@tiktool/protocol';
import type { UpstreamClosed, UpstreamError } from '@tiktool/webcast';
import { closeFor } from '../errors/error-map.js';
import type { Sequenced } from './log.js';

/**
 * What a feed drives: this node's copy of one creator's log (the Creator). Every event
 * arrives sequenced, whichever log (memory or Redis) gave it its seq.
 */
export interface FeedTarget {
  readonly uniqueId: string;
  readonly streamEpoch: string;
  readonly streamHead: number;
  /** The upstream's first event has this seq (the first fetch's events are news to its opener). */
  upstreamStarts(seq: number): void;
  /** The next entry of the log: seq streamHead + 1 of streamEpoch. */
  sequenced(s: Sequenced): void;
  /** This copy cannot continue the log: restart it at (epoch, firstSeq). */
  resetStream(epoch: string, firstSeq: number): void;
  /** The creator's upstream is gone for good (ended, failed). */
  ended(code: number, reason: string): void;
  /** The upstream dropped and is reconnecting (metrics, logs). */
  reconnecting(error: UpstreamError, attempt: number): void;
}

/** The close code and reason the creator's clients get when its upstream closes. */
export function closeOf(reason: UpstreamClosed): { code: number; reason: string } {
  if (reason.kind === 'ended') return { code: CloseCode.STREAM_END, reason: 'stream ended' };
  return { code: closeFor(reason.error).code, reason: `upstream failed: ${reason.error.message}` };
}
