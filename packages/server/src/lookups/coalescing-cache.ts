import { systemClock, type Clock } from '@tiktool/webcast';

export interface CoalescingCacheOptions {
  ttlMs: number;
  /** Entries kept (an LRU), so keys asked by strangers cannot grow memory without bound. */
  maxEntries: number;
  /** Failures worth keeping like answers (a user that does not exist); others are asked again next time. */
  keepsError?: (err: unknown) => boolean;
  clock?: Clock;
}

type Held<V> = { at: number; value: V } | { at: number; error: unknown };

/**
 * Values loaded once per key however many ask at once, then reused for a TTL: one load
 * in flight per key, answers (and the failures `keepsError` names) held, the least
 * recently used dropped beyond the bound.
 */
export class CoalescingCache<V> {
  private readonly inFlight = new Map<string, Promise<V>>();
  /** Most recently used last: the first entry is the one to drop. */
  private readonly held = new Map<string, Held<V>>();
  private readonly clock: Clock;

  constructor(private readonly o: CoalescingCacheOptions) {
    this.clock = o.clock ?? systemClock;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const held = this.held.get(key);
    if (held && this.clock.now() - held.at < this.o.ttlMs) {
      this.touch(key, held);
      return 'value' in held ? Promise.resolve(held.value) : Promise.reject(held.error);
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(key, load).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  get size(): number {
    return this.held.size;
  }

  private async load(key: string, load: () => Promise<V>): Promise<V> {
    try {
      const value = await load();
      this.touch(key, { at: this.clock.now(), value });
      return value;
    } catch (error) {
      if (this.o.keepsError?.(error)) this.touch(key, { at: this.clock.now(), error });
      throw error;
    }
  }

  private touch(key: string, held: Held<V>): void {
    this.held.delete(key);
    this.held.set(key, held);
    if (this.held.size > this.o.maxEntries) this.held.delete(this.held.keys().next().value!);
  }
}
