/**
 * Benchmark 3, the profile of a hosted service: 500 creators at 20 events/s each from
 * the standalone emulator over real sockets (10,000 events/s in), 2 clients per creator.
 */

import { performance } from 'node:perf_hooks';
import { startEmulator } from '@tiktool/emulator';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import type { Percentiles } from '../lib/histogram.js';
import { cpuBetween, MiB, sentAtById, sleep } from '../lib/timing.js';

export const CREATORS = 500;
export const RATE_PER_CREATOR = 20;
const CLIENTS_PER_CREATOR = 2;
const SETTLE_MS = 2_000;
const MEASURE_MS = 15_000;
const DRAIN_MS = 1_000;

export interface ManyCreatorsResult {
  creators: number;
  clients: number;
  opened: number;
  connectMs: number;
  /** Push connections the emulator holds open (one per creator is right). */
  upstreamConnections: number;
  inEventsPerS: number;
  deliveredPerS: number;
  cpuPct: number;
  rssMiB: number;
  latency: Percentiles;
  closes: Closes;
}

export async function runManyCreators(profileDir?: string): Promise<ManyCreatorsResult> {
  const emulator = await startEmulator({ rate: RATE_PER_CREATOR, seed: 21 });
  const nofile = CREATORS * (CLIENTS_PER_CREATOR + 1) + 1_024;
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, nofile, profileDir, name: 'gateway-many' });
  const clients = new ClientProcess('clients', nofile);
  const creators = Array.from({ length: CREATORS }, (_, i) => `many_${String(i).padStart(3, '0')}`);
  try {
    // Both clients of a creator one after the other: the second joins the first's upstream.
    const urls = creators.flatMap((u) => Array(CLIENTS_PER_CREATOR).fill(gateway.url(u)) as string[]);
    const c = await clients.connect('many', 'full', urls, 2 * CLIENTS_PER_CREATOR * 25);
    await sleep(SETTLE_MS);
    const from = performance.timeOrigin + performance.now();
    const m0 = await clients.mark('many');
    const u0 = await gateway.child.usage();
    const emitted0 = totalEmitted(emulator.stats().rooms);
    await sleep(MEASURE_MS);
    const u1 = await gateway.child.usage();
    const m1 = await clients.mark('many');
    const emitted1 = totalEmitted(emulator.stats().rooms);
    const stats = emulator.stats();
    await sleep(DRAIN_MS);
    const cpu = cpuBetween(u0, u1);
    const sent = sentAtById(creators.flatMap((u) => emulator.emittedMessages(u)));
    const report = await clients.fullReport('many', sent, from);
    return {
      creators: CREATORS,
      clients: urls.length,
      opened: c.opened,
      connectMs: c.elapsedMs,
      upstreamConnections: creators.reduce((n, u) => n + (stats.rooms[u]?.connections ?? 0), 0),
      inEventsPerS: ((emitted1 - emitted0) / cpu.wallMs) * 1000,
      deliveredPerS: ((m1.groupEvents - m0.groupEvents) / cpu.wallMs) * 1000,
      cpuPct: cpu.cpuPct,
      rssMiB: u1.rss / MiB,
      latency: report.latency,
      closes: report.closes,
    };
  } finally {
    await clients.stop();
    await gateway.stop();
    await emulator.close();
  }
}

function totalEmitted(rooms: Record<string, { emitted: number }>): number {
  return Object.values(rooms).reduce((n, r) => n + r.emitted, 0);
}
