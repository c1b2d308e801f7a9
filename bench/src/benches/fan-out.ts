/**
 * Benchmark 2: one creator at 200 events/s fanned out to N clients. The gateway runs in
 * its own process against the emulator (in the bench's process) over loopback; the
 * clients in a third. Same clients, same bytes and cadence against the reference server.
 */

import { fileURLToPath } from 'node:url';
import { startEmulator } from '@tiktool/emulator';
import { Child } from '../lib/child.js';
import type { Closes } from '../lib/client-process.js';
import { ClientPool, type PoolReport } from '../lib/client-pool.js';
import { freePort, startGatewayProcess } from '../lib/gateway-process.js';
import type { Percentiles } from '../lib/histogram.js';
import { pace } from '../lib/pacer.js';
import { cpuBetween, MiB, sentAtById, sleep } from '../lib/timing.js';

const REFERENCE = fileURLToPath(new URL('../procs/reference-server.js', import.meta.url));

const FAN_OUT_RATE = 200;
/** The emulator is made to send a frame every 10 ms: 2 events each at 200/s. */
const TICK_MS = 10;
const MEASURE_MS = 10_000;
const SETTLE_MS = 1_000;
const DRAIN_MS = 2_000;
const CREATOR = 'fan_out_creator';
/** Two client processes: one cannot read 200,000 frames a second without queueing. */
const CLIENT_PROCESSES = 2;

export interface FanOutRun {
  server: 'gateway' | 'gateway batch=1' | 'reference';
  clients: number;
  opened: number;
  connectMs: number;
  deliveredPerS: number;
  cpuUsPerEvent: number;
  cpuPct: number;
  latency: Percentiles;
  rssMiB: number;
  /** CPU of the clients' process: near 100 % it, not the server, sets the latency. */
  clientCpuPct: number;
  /** Clients that missed an event of the window. */
  behind: number;
  closes: Closes;
}

export interface FanOutOptions {
  clients: number;
  profileDir?: string;
}

function nofileFor(clients: number): number {
  return clients + 1_024;
}

interface Window {
  lastSeq: number;
  deliveredPerS: number;
  cpuUsPerEvent: number;
  cpuPct: number;
  clientCpuPct: number;
  rss: number;
}

/** Delivery and server CPU over MEASURE_MS, once the events flow to every client. */
async function measureWindow(clients: ClientPool, server: Child): Promise<Window> {
  await sleep(SETTLE_MS);
  const w = await clients.window('fan', Math.ceil((FAN_OUT_RATE * (MEASURE_MS + DRAIN_MS)) / 1000) + 1_000);
  const u0 = await server.usage();
  const c0 = await clients.usage();
  await sleep(MEASURE_MS);
  const u1 = await server.usage();
  const c1 = await clients.usage();
  const m = await clients.mark('fan');
  const events = m.events - w.events;
  const cpu = cpuBetween(u0, u1);
  await sleep(DRAIN_MS);
  return {
    lastSeq: m.head,
    deliveredPerS: (events / cpu.wallMs) * 1000,
    cpuUsPerEvent: cpu.cpuUs / events,
    cpuPct: cpu.cpuPct,
    clientCpuPct: cpuBetween(c0, c1).cpuPct,
    rss: u1.rss,
  };
}

function runOf(
  server: FanOutRun['server'],
  o: FanOutOptions,
  c: { opened: number; elapsedMs: number },
  w: Window,
  r: PoolReport,
): FanOutRun {
  return {
    server,
    clients: o.clients,
    opened: c.opened,
    connectMs: c.elapsedMs,
    deliveredPerS: w.deliveredPerS,
    cpuUsPerEvent: w.cpuUsPerEvent,
    cpuPct: w.cpuPct,
    latency: r.latency,
    rssMiB: w.rss / MiB,
    clientCpuPct: w.clientCpuPct,
    behind: r.behind,
    closes: r.closes,
  };
}

async function gatewayRun(o: FanOutOptions, batch: boolean): Promise<{ run: FanOutRun; frames: Buffer[] }> {
  // Events start once every client is in, as with the reference: no backlog from the joins.
  const emulator = await startEmulator({ rate: 0, seed: 11 });
  const gateway = await startGatewayProcess({
    emulatorUrl: emulator.url,
    nofile: nofileFor(o.clients),
    profileDir: o.profileDir,
    name: `gateway-fan-out-${o.clients}${batch ? '-batch' : ''}`,
  });
  const clients = new ClientPool(CLIENT_PROCESSES, nofileFor(o.clients));
  let stopPacer: (() => void) | undefined;
  try {
    const url = gateway.url(CREATOR, batch ? { batch: '1' } : {});
    const c = await clients.connect('fan', 'seq', Array(o.clients).fill(url), 100, !batch);
    stopPacer = pace(FAN_OUT_RATE, TICK_MS, (due) => emulator.emit(CREATOR, due));
    const w = await measureWindow(clients, gateway.child);
    stopPacer();
    const report = await clients.report('fan', w.lastSeq, { byId: sentAtById(emulator.emittedMessages(CREATOR)) });
    const frames = batch ? [] : (await clients.captured('fan')).map(asBuffer);
    return { run: runOf(batch ? 'gateway batch=1' : 'gateway', o, c, w, report), frames };
  } finally {
    stopPacer?.();
    await clients.stop();
    await gateway.stop();
    await emulator.close();
  }
}

async function referenceRun(o: FanOutOptions, frames: Buffer[]): Promise<FanOutRun> {
  const port = await freePort();
  const env = { PORT: String(port) };
  const server = new Child({ name: 'reference', script: REFERENCE, nofile: nofileFor(o.clients), env, serves: true });
  const clients = new ClientPool(CLIENT_PROCESSES, nofileFor(o.clients));
  try {
    await server.call('ready');
    const c = await clients.connect('fan', 'seq', Array(o.clients).fill(`ws://127.0.0.1:${port}/`), 100);
    await server.call('start', { frames, perSecond: FAN_OUT_RATE, tickMs: TICK_MS });
    const w = await measureWindow(clients, server);
    const { sentAtBySeq } = await server.call<{ sentAtBySeq: Map<number, number> }>('stop');
    const report = await clients.report('fan', w.lastSeq, { bySeq: sentAtBySeq });
    return runOf('reference', o, c, w, report);
  } finally {
    await clients.stop();
    await server.stop();
  }
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Gateway unbatched (its frames are captured for the reference), reference, gateway batched. */
export async function runFanOut(o: FanOutOptions): Promise<FanOutRun[]> {
  const unbatched = await gatewayRun(o, false);
  const reference = await referenceRun(o, unbatched.frames);
  const batched = await gatewayRun(o, true);
  return [unbatched.run, reference, batched.run];
}
