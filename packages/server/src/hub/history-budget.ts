import { Heap } from 'heap-js';

/** What the budget needs of a stream it counts: how many events it holds, and its oldest. */
export interface BudgetedHistory {
  readonly length: number;
  /** appendedAt of the oldest event held. */
  readonly oldestAppendedAt: number;
  /** Drops the oldest event (its bytes leave the budget through `HistoryBudget.shrank`). */
  dropOldest(): void;
}

/** A stream's account with the budget; the stream holds it and hands it back on every change. */
export interface HistoryShare {
  readonly history: BudgetedHistory;
  bytes: number;
  /** A lower bound of the stream's oldest appendedAt, its place in the queue (the true one only grows). */
  key: number;
  queued: boolean;
}

/**
 * A node's memory budget for resume history, over every creator's stream: when an append
 * takes the total above `maxBytes`, the oldest events across all creators are dropped
 * first, down to each creator's newest `floorEvents`.
 *
 * Streams above their floor wait in a min-heap by the appendedAt of their oldest event.
 * Keys are not updated when a stream trims itself (by count or age), so an append costs
 * no heap operation: a key is a lower bound, and a stale one at the top is refreshed and
 * sifted before that stream is trimmed. Only crossing the floor pushes a stream, once.
 */
export class HistoryBudget {
  private total = 0;
  private high = 0;
  private dropped = 0;
  private readonly queue = new Heap<HistoryShare>((a, b) => a.key - b.key);

  constructor(
    readonly maxBytes: number,
    readonly floorEvents: number,
  ) {}

  /** Bytes of history held on this node. */
  get bytes(): number {
    return this.total;
  }

  /** The most bytes held at any moment since start (after each append's trimming). */
  get peakBytes(): number {
    return this.high;
  }

  /** Events dropped to keep within the budget, since start. */
  get evicted(): number {
    return this.dropped;
  }

  join(history: BudgetedHistory): HistoryShare {
    return { history, bytes: 0, key: 0, queued: false };
  }

  /** The stream took an event of `bytes`; over the budget, the oldest events go. */
  grew(share: HistoryShare, bytes: number): void {
    share.bytes += bytes;
    this.total += bytes;
    if (!share.queued && share.history.length > this.floorEvents) {
      share.key = share.history.oldestAppendedAt;
      share.queued = true;
      this.queue.push(share);
    }
    if (this.total > this.maxBytes) this.trim();
    if (this.total > this.high) this.high = this.total;
  }

  /** The stream dropped an event of `bytes`. */
  shrank(share: HistoryShare, bytes: number): void {
    share.bytes -= bytes;
    this.total -= bytes;
  }

  /** The stream is gone (its creator retired, or its history restarted): its bytes leave the budget. */
  leave(share: HistoryShare): void {
    if (share.queued) this.queue.remove(share);
    share.queued = false;
    this.total -= share.bytes;
    share.bytes = 0;
  }

  private trim(): void {
    while (this.total > this.maxBytes) {
      const top = this.queue.peek();
      // Every stream is at its floor: the floors are what is left.
      if (top === undefined) return;
      if (top.history.length <= this.floorEvents) {
        this.queue.pop();
        top.queued = false;
      } else if (top.history.oldestAppendedAt > top.key) {
        top.key = top.history.oldestAppendedAt;
        this.queue.replace(top);
      } else {
        top.history.dropOldest();
        this.dropped++;
      }
    }
  }
}
