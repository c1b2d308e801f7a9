import { NEGATIVE_KEY_CACHE_MAX, NEGATIVE_KEY_CACHE_TTL_MS } from '../defaults.js';

/**
 * Hashes of presented keys that the store did not have, for a moment: a client retrying
 * a wrong key costs no database read each time. Bounded in size; oldest entries go first.
 * A key created meanwhile is removed from it by its change notification.
 */
export class NegativeKeyCache {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  has(hex: string): boolean {
    const t = this.until.get(hex);
    if (t === undefined) return false;
    if (t > this.now()) return true;
    this.until.delete(hex);
    return false;
  }

  add(hex: string): void {
    if (this.until.size >= NEGATIVE_KEY_CACHE_MAX) this.until.delete(this.until.keys().next().value!);
    this.until.set(hex, this.now() + NEGATIVE_KEY_CACHE_TTL_MS);
  }

  delete(hex: string): void {
    this.until.delete(hex);
  }
}
