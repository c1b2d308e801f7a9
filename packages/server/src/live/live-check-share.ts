import type { LiveStatus } from './live-status.js';

/** What one check (or a transition the hub saw) found, as the checkers watching a creator share it. */
export interface CheckResult {
  status: LiveStatus;
  /** The check failed (TikTok blocked us, the network failed...): the status only says why. */
  failed: boolean;
}

/**
 * Where the checkers watching a creator take turns and share what they find: in memory
 * for one node (MemoryLiveCheckShare), in Redis for a cluster (cluster/live-check-lease.ts),
 * so that one check per creator runs at a time however many checkers watch it.
 */
export interface LiveCheckShare {
  /** True when the caller may check the creator now; then no other claim succeeds for `ms`. */
  claim(uniqueId: string, ms: number): Promise<boolean>;
  /**
   * Gives the result to every checker following the creator (the caller's included) and
   * keeps it as the latest; with `holdMs` > 0 the next claim succeeds only after that long.
   */
  share(uniqueId: string, result: CheckResult, holdMs: number): Promise<void>;
  /** The latest result shared for the creator, if still kept. */
  latest(uniqueId: string): Promise<CheckResult | undefined>;
  /** Calls `onResult` with every result shared for the creator from now; resolves with the way to stop. */
  follow(uniqueId: string, onResult: (result: CheckResult) => void): Promise<() => void>;
  close(): Promise<void>;
}
