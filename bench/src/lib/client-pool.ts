/**
 * The fan-out clients, spread over several processes: one `ws` process reading 200,000
 * frames a second is itself at a full core, and would then be what the latency measures.
 * The first process holds the probe (the group's first client), whose seqs and msgIds
 * stand for all.
 */

import { ClientProcess, type Closes, type Mode } from './client-process.js';
import { Histogram, type Percentiles } from './histogram.js';
import type { Usage } from './child.js';

export interface PoolReport {
  missing: number;
  behind: number;
  unmatched: number;
  latency: Percentiles;
  closes: Closes;
}

export class ClientPool {
  readonly procs: ClientProcess[];

  constructor(processes: number, nofile: number) {
    this.procs = Array.from({ length: processes }, (_, i) => new ClientProcess(`clients-${i}`, nofile));
  }

  /** Splits the urls in contiguous shares, the probe (urls[0]) going to the first process. */
  async connect(group: string, mode: Mode, urls: string[], concurrency: number, capture = false) {
    const share = Math.ceil(urls.length / this.procs.length);
    const parts = await Promise.all(
      this.procs.map((p, i) =>
        p.connect(group, mode, urls.slice(i * share, (i + 1) * share), Math.ceil(concurrency / this.procs.length), capture && i === 0),
      ),
    );
    return {
      opened: parts.reduce((n, r) => n + r.opened, 0),
      elapsedMs: Math.max(...parts.map((r) => r.elapsedMs)),
      closes: mergeCloses(parts.map((r) => r.closes)),
    };
  }

  async window(group: string, size: number): Promise<{ events: number }> {
    const first = await this.procs[0].window(group, size);
    const rest = await Promise.all(this.procs.slice(1).map((p) => p.window(group, size, first.seq0)));
    return { events: first.events + rest.reduce((n, r) => n + r.events, 0) };
  }

  async mark(group: string): Promise<{ head: number; events: number }> {
    const marks = await Promise.all(this.procs.map((p) => p.mark(group)));
    return { head: marks[0].head, events: marks.reduce((n, m) => n + m.events, 0) };
  }

  /** Send times by msgId (the probe maps seqs to msgIds) or by seq. */
  async report(group: string, lastSeq: number, sentAt: { byId?: Map<string, number>; bySeq?: Map<number, number> }): Promise<PoolReport> {
    let bySeq = sentAt.bySeq;
    if (bySeq === undefined) {
      bySeq = new Map();
      for (const [seq, msgId] of await this.procs[0].probeSeqs(group)) {
        const at = sentAt.byId?.get(msgId);
        if (at !== undefined) bySeq.set(seq, at);
      }
    }
    const parts = await Promise.all(this.procs.map((p) => p.report(group, lastSeq, bySeq)));
    const hist = new Histogram();
    for (const r of parts) hist.merge(r.hist);
    return {
      missing: parts.reduce((n, r) => n + r.missing, 0),
      behind: parts.reduce((n, r) => n + r.behind, 0),
      unmatched: parts.reduce((n, r) => n + r.unmatched, 0),
      latency: hist.summary(),
      closes: mergeCloses(parts.map((r) => r.closes)),
    };
  }

  captured(group: string): Promise<Buffer[]> {
    return this.procs[0].captured(group);
  }

  /** The processes' usage, summed (CPU above 100 % means more than one core). */
  async usage(): Promise<Usage> {
    const all = await Promise.all(this.procs.map((p) => p.child.usage()));
    return {
      cpuUs: all.reduce((n, u) => n + u.cpuUs, 0),
      rss: all.reduce((n, u) => n + u.rss, 0),
      heapUsed: all.reduce((n, u) => n + u.heapUsed, 0),
      at: all[0].at,
      loopP99Ms: Math.max(...all.map((u) => u.loopP99Ms)),
      loopMaxMs: Math.max(...all.map((u) => u.loopMaxMs)),
      gcMaxMs: Math.max(...all.map((u) => u.gcMaxMs)),
      gcTotalMs: all.reduce((n, u) => n + u.gcTotalMs, 0),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop()));
  }
}

function mergeCloses(all: Closes[]): Closes {
  const out: Closes = {};
  for (const c of all) for (const [code, n] of Object.entries(c)) out[code] = (out[code] ?? 0) + n;
  return out;
}
