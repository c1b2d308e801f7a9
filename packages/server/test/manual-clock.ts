/** A clock that moves only when the test says so; sleepers wake in order as it passes their time. */

import type { Clock } from '@tiktool/webcast';

interface Sleeper {
  at: number;
  wake: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = {
        at: this.time + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Wake-up times of everything asleep on this clock, in ms from now, ascending. */
  pending(): number[] {
    return this.sleepers.map((s) => s.at - this.time).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of due.sort((a, b) => a.at - b.at)) s.wake();
  }
}
