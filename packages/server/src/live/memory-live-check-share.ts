import { systemClock, type Clock } from '@tiktool/webcast';
import type { CheckResult, LiveCheckShare } from './live-check-share.js';

interface Shared {
  followers: Set<(result: CheckResult) => void>;
  /** No claim succeeds before this time. */
  heldUntil: number;
  latest: CheckResult | undefined;
}

/**
 * The checkers of one node taking turns: leases and results in memory, kept only while
 * some checker follows the creator, so creators no longer watched cost nothing.
 */
export class MemoryLiveCheckShare implements LiveCheckShare {
  private readonly creators = new Map<string, Shared>();

  constructor(private readonly clock: Clock = systemClock) {}

  async claim(uniqueId: string, ms: number): Promise<boolean> {
    const shared = this.creators.get(uniqueId);
    const now = this.clock.now();
    if (!shared) return true;
    if (shared.heldUntil > now) return false;
    shared.heldUntil = now + ms;
    return true;
  }

  async share(uniqueId: string, result: CheckResult, holdMs: number): Promise<void> {
    const shared = this.creators.get(uniqueId);
    if (!shared) return;
    shared.latest = result;
    if (holdMs > 0) shared.heldUntil = this.clock.now() + holdMs;
    for (const follower of [...shared.followers]) follower(result);
  }

  async latest(uniqueId: string): Promise<CheckResult | undefined> {
    return this.creators.get(uniqueId)?.latest;
  }

  async follow(uniqueId: string, onResult: (result: CheckResult) => void): Promise<() => void> {
    let shared = this.creators.get(uniqueId);
    if (!shared) {
      shared = { followers: new Set(), heldUntil: 0, latest: undefined };
      this.creators.set(uniqueId, shared);
    }
    const followers = shared.followers;
    followers.add(onResult);
    return () => {
      followers.delete(onResult);
      if (followers.size === 0 && this.creators.get(uniqueId)?.followers === followers) this.creators.delete(uniqueId);
    };
  }

  async close(): Promise<void> {
    this.creators.clear();
  }
}
