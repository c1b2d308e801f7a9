import type { CreatorEventName, UpstreamEvent } from '@tiktool/protocol';
import type { ResumePoint } from '@tiktool/webcast';
import type { StreamEntry } from './creator-stream.js';

/** An event on its way into a log: not yet sequenced. */
export interface LogEvent {
  readonly event: CreatorEventName;
  /** The event's data as JSON, encoded once. */
  readonly data: string;
  /** TikTok's message id: a shared log drops one it already holds (a new owner resending). */
  readonly msgId: string;
  /** Where the upstream continues after this event; a shared log keeps it for the next owner. */
  readonly resumePoint?: ResumePoint;
}

/** An upstream event for a log: its data encoded as JSON here, once. */
export const logEvent = (e: UpstreamEvent, resumePoint?: ResumePoint): LogEvent => ({
  event: e.event,
  data: JSON.stringify(e.data),
  msgId: e.data.msgId,
  resumePoint,
});

/** An event as a log hands it on: sequenced in an epoch, its frame built once. */
export interface Sequenced {
  readonly epoch: string;
  readonly entry: StreamEntry;
  /** The entry's data JSON, for the reader's room counters; not kept with the entry. */
  readonly data: string;
}

export interface LogPosition {
  readonly epoch: string;
  /** Seq of the newest entry; 0 before the first. */
  readonly head: number;
}

export interface LogRead extends LogPosition {
  /** The entries still held from the asked seq on, oldest first. */
  readonly entries: readonly Sequenced[];
}

/**
 * A creator's log: gives each event the next seq of its epoch and keeps a bounded history.
 * Memory (one node, memory-log.ts) and Redis (a cluster, cluster/redis-log.ts) implement
 * it; a creator only ever sees what a log sequenced (FeedTarget.sequenced).
 */
export interface CreatorLog {
  /** Appends the event under the next seq; undefined when the log drops it as a duplicate. */
  append(e: LogEvent): Promise<Sequenced | undefined>;
  /** The entries held from `fromSeq` on, in the current epoch. */
  read(fromSeq: number): Promise<LogRead>;
  /** The epoch and head; a log whose history is gone starts a new epoch. */
  position(): Promise<LogPosition>;
  /** Drops the history: the log continues under a new epoch from seq 1. */
  reset(): Promise<LogPosition>;
}
