/**
 * Benchmark 3, the profile of a hosted service: 500 creators at 20 events/s each from the
 * standalone emulator (its own process) over real sockets (10,000 events/s in), 2 clients
 * per creator.
 */

import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Child } from '../lib/child.js';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import type { Percentiles } from '../lib/histogram.js';
import { cpuBetween, MiB, sleep } from '../lib/timing.js';

const EMULATOR = fileURLToPath(new URL('../procs/emulator-process.js', import.meta.url));

const CREATORS = 500;
const RATE_PER_CREATOR = 20;
/**
 * Each room sends a push frame every 250 ms (5 events): TikTok batches a busy room's
 * messages into a few frames a second, and 250 ms is the emulator's longest interval.
 */
const FRAME_MS = 250;
/**
 * The load generator runs behind the gateway in the scheduler's eyes: on two cores it
 * takes most of one, and its own delays before stamping sentAt are not the gateway's.
 */
const EMULATOR_NICE = 5;
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
  emulatorCpuPct: number;
  clientCpuPct: number;
  /** The gateway's event loop over the window: delay p99 and max, longest GC pause (ms). */
  loopP99Ms: number;
  loopMaxMs: number;
  gcMaxMs: number;
  latency: Percentiles;
  closes: Closes;
}

export async function runManyCreators(profileDir?: string): Promise<ManyCreatorsResult> {
  const creators = Array.from({ length: CREATORS }, (_, i) => `many_${String(i).padStart(3, '0')}`);
  const nofile = CREATORS * (CLIENTS_PER_CREATOR + 1) + 1_024;
  const emulator = new Child({ name: 'emulator', script: EMULATOR, nofile, serves: true, nice: EMULATOR_NICE, env: { SEED: '21' } });
  try {
    const { url } = await emulator.call<{ url: string }>('url');
    const gateway = await startGatewayProcess({ emulatorUrl: url, nofile, profileDir, name: 'gateway-many' });
    const clients = new ClientProcess('clients', nofile);
    try {
      // Both clients of a creator one after the other: the second joins the first's upstream.
      const urls = creators.flatMap((u) => Array(CLIENTS_PER_CREATOR).fill(gateway.url(u)) as string[]);
      const c = await clients.connect('many', 'full', urls, 2 * CLIENTS_PER_CREATOR * 25);
      await emulator.call('start', { creators, perSecond: RATE_PER_CREATOR, frameMs: FRAME_MS });
      await sleep(SETTLE_MS);
      const from = performance.timeOrigin + performance.now();
      const m0 = await clients.mark('many');
      const [u0, c0, e0] = await Promise.all([gateway.child.usage(), clients.child.usage(), emulator.usage()]);
      const s0 = await emulator.call<{ emitted: number }>('stats', { creators });
      await sleep(MEASURE_MS);
      const [u1, c1, e1] = await Promise.all([gateway.child.usage(), clients.child.usage(), emulator.usage()]);
      const s1 = await emulator.call<{ emitted: number; connections: number }>('stats', { creators });
      const m1 = await clients.mark('many');
      await emulator.call('stop');
      await sleep(DRAIN_MS);
      const cpu = cpuBetween(u0, u1);
      const sent = await emulator.call<Map<string, number>>('sentAt', { creators });
      const report = await clients.fullReport('many', sent, from);
      return {
        creators: CREATORS,
        clients: urls.length,
        opened: c.opened,
        connectMs: c.elapsedMs,
        upstreamConnections: s1.connections,
        inEventsPerS: ((s1.emitted - s0.emitted) / cpu.wallMs) * 1000,
        deliveredPerS: ((m1.groupEvents - m0.groupEvents) / cpu.wallMs) * 1000,
        cpuPct: cpu.cpuPct,
        rssMiB: u1.rss / MiB,
        emulatorCpuPct: cpuBetween(e0, e1).cpuPct,
        clientCpuPct: cpuBetween(c0, c1).cpuPct,
        loopP99Ms: u1.loopP99Ms,
        loopMaxMs: u1.loopMaxMs,
        gcMaxMs: u1.gcMaxMs,
        latency: report.latency,
        closes: report.closes,
      };
    } finally {
      await clients.stop();
      await gateway.stop();
    }
  } finally {
    await emulator.stop();
  }
}
