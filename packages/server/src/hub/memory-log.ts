import { CreatorStream, type CreatorStreamLimits } from './creator-stream.js';
import type { CreatorLog, LogEvent, LogPosition, LogRead, Sequenced } from './log.js';

/**
 * A creator's log in this process: a single node's, or a cluster owner's while Redis is
 * away. It sequences synchronously (appendNow), so a single node's hot path has no await.
 */
export class MemoryLog implements CreatorLog {
  private stream: CreatorStream;

  /** Starts empty, or continues a stream where it is (its epoch, after its head). */
  constructor(
    private readonly uniqueId: string,
    private readonly limits: CreatorStreamLimits,
    at?: { epoch: string; head: number },
    private readonly now: () => number = Date.now,
  ) {
    this.stream = new CreatorStream(uniqueId, limits, at?.epoch, at ? at.head + 1 : 1, now);
  }

  /** A log that continues this stream: its next entries follow the stream's head. */
  static continuing(stream: CreatorStream): MemoryLog {
    return new MemoryLog(stream.uniqueId, stream.limits, { epoch: stream.epoch, head: stream.head });
  }

  appendNow(e: LogEvent): Sequenced {
    return { epoch: this.stream.epoch, entry: this.stream.append(e.event, e.data), data: e.data };
  }

  async append(e: LogEvent): Promise<Sequenced> {
    return this.appendNow(e);
  }

  async read(fromSeq: number): Promise<LogRead> {
    const entries: Sequenced[] = [];
    for (let seq = Math.max(fromSeq, this.stream.oldestSeq); seq <= this.stream.head; seq++) {
      const entry = this.stream.get(seq)!;
      entries.push({ epoch: this.stream.epoch, entry, data: dataOf(entry.wire) });
    }
    return { epoch: this.stream.epoch, head: this.stream.head, entries };
  }

  async position(): Promise<LogPosition> {
    return { epoch: this.stream.epoch, head: this.stream.head };
  }

  async reset(): Promise<LogPosition> {
    this.stream = new CreatorStream(this.uniqueId, this.limits, undefined, 1, this.now);
    return this.position();
  }
}

/** The data JSON back out of an entry's frame (read() is off the hot path: resume planning, tests). */
function dataOf(wire: Buffer): string {
  const length = wire[1] & 0x7f;
  const header = length < 126 ? 2 : length === 126 ? 4 : 10;
  return JSON.stringify((JSON.parse(wire.subarray(header).toString('utf8')) as { data: unknown }).data);
}
