/**
 * Metrics of the live checks: lookups toward TikTok by outcome, checks waiting for the
 * budget's next free slot, and the creators being
 * watched (by waiting sockets and webhooks), of them those not live.
 */

import { Counter, Gauge, type Registry } from 'prom-client';
import type { LookupOutcome } from '../live/live-lookups.js';

const OUTCOMES: readonly LookupOutcome[] = ['live', 'offline', 'not_found', 'blocked', 'failed'];

/** What the gauges read at scrape time. */
export interface WatchedCounts {
  readonly watching: number;
  readonly waiting: number;
}

export class LiveCheckMetrics {
  private readonly lookups: Counter<'outcome'>;
  private readonly budgetWaits: Counter;
  private readonly budgetWaitSeconds: Counter;
  private counts: WatchedCounts = { watching: 0, waiting: 0 };

  constructor(registry: Registry) {
    const registers = [registry];
    const self = this;
    this.lookups = new Counter({
      name: 'tiktool_live_checks_total',
      help: 'Live checks made toward TikTok (by the live checker and the REST live check), by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.budgetWaits = new Counter({
      name: 'tiktool_live_check_budget_waits_total',
      help: 'Live checks that found the check budget used up and waited for its next free slot',
      registers,
    });
    this.budgetWaitSeconds = new Counter({
      name: 'tiktool_live_check_budget_wait_seconds_total',
      help: 'Seconds live checks waited for the check budget',
      registers,
    });
    // Every outcome exists from the start, so a rate() sees the first one.
    for (const outcome of OUTCOMES) this.lookups.inc({ outcome }, 0);
    new Gauge({
      name: 'tiktool_live_creators_watched',
      help: 'Creators whose live state this node watches (for waiting sockets and webhooks)',
      registers,
      collect() {
        this.set(self.counts.watching);
      },
    });
    new Gauge({
      name: 'tiktool_live_creators_waiting',
      help: 'Watched creators not live: waiting to go live',
      registers,
      collect() {
        this.set(self.counts.waiting);
      },
    });
  }

  /** LiveLookups' onLookup hook. */
  readonly lookedUp = (outcome: LookupOutcome): void => {
    this.lookups.inc({ outcome });
  };

  /** LiveChecker's onBudgetWait hook. */
  readonly budgetWaited = (ms: number): void => {
    this.budgetWaits.inc();
    this.budgetWaitSeconds.inc(ms / 1000);
  };

  /** Where the gauges read their values. */
  countWatched(counts: WatchedCounts): void {
    this.counts = counts;
  }
}
