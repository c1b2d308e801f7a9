/** The client-load process from the bench's side: typed calls to procs/client-load.ts. */

import { fileURLToPath } from 'node:url';
import type { Percentiles } from './histogram.js';
import { Child } from './child.js';

const SCRIPT = fileURLToPath(new URL('../procs/client-load.js', import.meta.url));

export type Mode = 'seq' | 'full' | 'idle';
export type Closes = Record<string, number>;

/** A histogram as it crosses IPC (its data, without the class). */
export interface HistogramData {
  counts: Float64Array;
  count: number;
  max: number;
}

export interface WindowReport {
  window: number;
  clients: number;
  /** (client, event) pairs of the window never received. */
  missing: number;
  /** Clients that missed at least one event of the window. */
  behind: number;
  unmatched: number;
  hist: HistogramData;
  closes: Closes;
}

export interface ResumeReport {
  elapsedMs: number;
  done: number;
  recovered: number;
  replayed: number;
  completion: Percentiles;
  closes: Closes;
}

export class ClientProcess {
  readonly child: Child;

  constructor(name: string, nofile: number, lifetimeMs?: number) {
    this.child = new Child({ name, script: SCRIPT, nofile, serves: true, lifetimeMs });
  }

  connect(group: string, mode: Mode, urls: string[], concurrency: number, capture = false, localAddresses?: string[]) {
    return this.child.call<{ opened: number; elapsedMs: number; closes: Closes }>(
      'connect',
      { group, mode, urls, concurrency, capture, localAddresses },
      300_000,
    );
  }

  window(group: string, size: number, seq0?: number) {
    return this.child.call<{ seq0: number; events: number }>('window', { group, size, seq0 });
  }

  probeSeqs(group: string) {
    return this.child.call<Map<number, string>>('probeSeqs', { group });
  }

  mark(group: string) {
    return this.child.call<{ head: number; events: number; groupEvents: number; at: number }>('mark', { group });
  }

  report(group: string, lastSeq: number, sentAtBySeq: Map<number, number>) {
    return this.child.call<WindowReport>('report', { group, lastSeq, sentAtBySeq });
  }

  fullReport(group: string, sentAtById: Map<string, number>, from: number) {
    return this.child.call<{ latency: Percentiles; unmatched: number; closes: Closes }>('fullReport', { group, sentAtById, from });
  }

  captured(group: string) {
    return this.child.call<Buffer[]>('captured', { group });
  }

  close(group: string) {
    return this.child.call<{ lastSeqs: number[] }>('close', { group });
  }

  resume(group: string, base: string, expect: number, timeoutMs = 60_000) {
    return this.child.call<ResumeReport>('resume', { group, base, expect, timeoutMs }, timeoutMs + 30_000);
  }

  /** Polls until the group has received at least n events. */
  async untilEvents(group: string, n: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.mark(group);
      if (m.groupEvents >= n) return;
      if (Date.now() > deadline) throw new Error(`${group}: ${m.groupEvents} of ${n} events after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
