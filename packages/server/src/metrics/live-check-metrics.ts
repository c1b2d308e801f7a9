/**
 * Metrics of the live checks: lookups toward TikTok by outcome, and the creators being
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

  /** Where the gauges read their values. */
  countWatched(counts: WatchedCounts): void {
    this.counts = counts;
  }
}
