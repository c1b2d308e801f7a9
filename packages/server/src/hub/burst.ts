import type { StreamEntry } from './creator-stream.js';
import { batchFrames, joinedFrames, type Outgoing } from './outgoing.js';

/**
 * The events a creator published in one turn of the event loop (typically one upstream
 * frame's worth), handed to its subscribers together at the end of the turn. Its bytes,
 * for the subscribers that want all of it, are built once and shared by all of them: each
 * socket then gets one write per burst (per 64 KiB of it).
 */
export class Burst {
  readonly entries: StreamEntry[] = [];
  private joined: Outgoing[] | undefined;
  private batched: Outgoing[] | undefined;

  /** Every entry, each its own frame, back to back. */
  joinedFrames(): Outgoing[] {
    this.joined ??= joinedFrames(this.entries);
    return this.joined;
  }

  /** Every entry in `batch=1` array frames. */
  batchFrames(): Outgoing[] {
    this.batched ??= batchFrames(this.entries);
    return this.batched;
  }
}
