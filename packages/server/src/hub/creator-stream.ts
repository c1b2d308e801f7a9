import { randomBytes } from 'node:crypto';
import type { CreatorEventName } from '@tiktool/protocol';
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
}

/**
 * A creator's events in order, each with a gapless seq, and a bounded history for resume.
 * The epoch names this history: a new stream (after its history was lost) has a new epoch,
 * so a client's seq from the old one is never mistaken for a position in the new one.
 */
export class CreatorStream {
  private readonly ring: (StreamEntry | undefined)[];
  private oldest: number;
  private newest: number;

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

  /** Keeps an entry a log sequenced; it must be the next one (seq head + 1). */
  put(entry: StreamEntry): void {
    const seq = entry.seq;
    this.ring[seq % this.limits.maxEvents] = entry;
    this.newest = seq;
    if (seq - this.oldest >= this.limits.maxEvents) this.oldest = seq - this.limits.maxEvents + 1;
    this.trimByAge();
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
    while (this.oldest <= this.newest) {
      const e = this.ring[this.oldest % this.limits.maxEvents]!;
      if (e.appendedAt >= cutoff) break;
      this.ring[this.oldest % this.limits.maxEvents] = undefined;
      this.oldest++;
    }
  }
}
