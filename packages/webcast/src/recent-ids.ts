/**
 * The last `capacity` msgIds seen, to drop messages delivered twice (TikTok resends
 * from the cursor after a reconnect, and the first fetch repeats recent history).
 * A ring buffer gives O(1) eviction of the oldest id.
 */
export class RecentIds {
  private readonly set = new Set<string>();
  private readonly ring: string[];
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<string>(capacity);
  }

  /** Remembers id; returns false when it was already remembered. */
  add(id: string): boolean {
    if (this.set.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.set.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.set.add(id);
    return true;
  }

  get size(): number {
    return this.set.size;
  }
}
