import { randomBytes } from 'node:crypto';
import type { CreatorEventName } from '@tiktool/protocol';
import { HISTORY_ENTRY_OVERHEAD_BYTES } from '../defaults.js';
import type { BudgetedHistory, HistoryBudget, HistoryShare } from './history-budget.js';
import { frameText } from './ws-frame.js';

/** One event of a creator stream: its seq and its wire bytes, encoded once for every subscriber. */
export interface StreamEntry {
  readonly seq: number;
  readonly event: CreatorEventName;
  /** The envelope's JSON in its WebSocket frame: what a socket is handed (ws-frame.ts). */
  readonly wire: Buffer;
  readonly appendedAt: number;
  /** A gift streak's intermediate message (repeatEnd false), which `gifts=final` skips. */
  readonly streakProgress: boolean;
}

/** What a subscriber's filter looks at. */
export type EntryKind = Pick<StreamEntry, 'event' | 'streakProgress'>;

/**
 * Read from the JSON so that every log (and a cluster node's copy) agrees. The substring
 * can only be the key itself: inside a JSON string a quote is escaped.
 */
function isStreakProgress(event: CreatorEventName, dataJson: string): boolean {
  return event === 'gift' && dataJson.includes('"repeatEnd":false');
}

/**
 * The entry with this seq: its frame built and its streak flag read once, when a log
 * appends it. The frame names its creator, so single and roster sockets share it.
 * `uniqueId` is a normalised username (letters, digits, `_`, `.`): nothing to escape.
 */
export function encodeEntry(seq: number, event: CreatorEventName, dataJson: string, appendedAt: number, uniqueId: string): StreamEntry {
  return {
    seq,
    event,
    wire: frameText(`{"event":"${event}","data":${dataJson},"seq":${seq},"uniqueId":"${uniqueId}"}`),
    appendedAt,
    streakProgress: isStreakProgress(event, dataJson),
  };
}

export interface CreatorStreamLimits {
  maxEvents: number;
  maxAgeMs: number;
  /** The node's budget for all history, which this stream counts against; none = its own bounds only. */
  budget?: HistoryBudget;
}

/** What an entry costs the budget: its frame, and the objects that hold it. */
const entryBytes = (entry: StreamEntry): number => entry.wire.byteLength + HISTORY_ENTRY_OVERHEAD_BYTES;

/**
 * A creator's events in order, each with a gapless seq, and a bounded history for resume.
 * The epoch names this history: a new stream (after its history was lost) has a new epoch,
 * so a client's seq from the old one is never mistaken for a position in the new one.
 */
export class CreatorStream implements BudgetedHistory {
  private readonly ring: (StreamEntry | undefined)[];
  private oldest: number;
  private newest: number;
  private share: HistoryShare | undefined;

  /** A copy of a log starts where the log is, in its epoch. */
  constructor(
    readonly uniqueId: string,
    readonly limits: CreatorStreamLimits,
    readonly epoch: string = randomBytes(6).toString('base64url'),
    firstSeq = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.ring = new Array(limits.maxEvents);
    this.oldest = firstSeq;
    this.newest = firstSeq - 1;
    this.share = limits.budget?.join(this);
  }

  /** Seq of the newest event; 0 before the first. */
  get head(): number {
    return this.newest;
  }

  /** Seq of the oldest event still held. */
  get oldestSeq(): number {
    this.trimByAge();
    return this.oldest;
  }

  /** Appends an event under the next seq. */
  append(event: CreatorEventName, dataJson: string): StreamEntry {
    const entry = encodeEntry(this.newest + 1, event, dataJson, this.now(), this.uniqueId);
    this.put(entry);
    return entry;
  }

  /** Events held. */
  get length(): number {
    return this.newest - this.oldest + 1;
  }

  get oldestAppendedAt(): number {
    return this.ring[this.oldest % this.limits.maxEvents]?.appendedAt ?? this.now();
  }

  /**
   * Keeps an entry a log sequenced: the next one (seq head + 1). One it holds already
   * changes nothing: a single node's memory log sequences into this very stream.
   */
  put(entry: StreamEntry): void {
    const seq = entry.seq;
    if (seq <= this.newest) return;
    // Full: the slot it takes is the oldest's.
    if (seq - this.oldest >= this.limits.maxEvents) this.dropOldest();
    this.ring[seq % this.limits.maxEvents] = entry;
    this.newest = seq;
    this.trimByAge();
    if (this.share) this.limits.budget!.grew(this.share, entryBytes(entry));
  }

  dropOldest(): void {
    const slot = this.oldest % this.limits.maxEvents;
    const entry = this.ring[slot]!;
    this.ring[slot] = undefined;
    this.oldest++;
    if (this.share) this.limits.budget!.shrank(this.share, entryBytes(entry));
  }

  /** The stream is no longer read (its creator retired, or it was replaced): its bytes leave the budget. */
  release(): void {
    if (this.share) this.limits.budget!.leave(this.share);
    this.share = undefined;
  }

  /** The event with this seq, or undefined when it is not (or no longer) held. */
  get(seq: number): StreamEntry | undefined {
    if (seq < this.oldestSeq || seq > this.newest) return undefined;
    return this.ring[seq % this.limits.maxEvents];
  }

  /** How many events after `afterSeq` pass the filter. */
  countAfter(afterSeq: number, wants: (entry: EntryKind) => boolean): number {
    let n = 0;
    for (let s = Math.max(afterSeq + 1, this.oldestSeq); s <= this.newest; s++) {
      if (wants(this.ring[s % this.limits.maxEvents]!)) n++;
    }
    return n;
  }

  private trimByAge(): void {
    const cutoff = this.now() - this.limits.maxAgeMs;
    while (this.oldest <= this.newest && this.ring[this.oldest % this.limits.maxEvents]!.appendedAt < cutoff) this.dropOldest();
  }
}
