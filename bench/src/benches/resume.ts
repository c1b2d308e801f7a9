/**
 * Benchmark 5: a client resuming after missing 10,000 events (time until the last
 * replayed event arrives), and a storm of 1,000 clients resuming at once.
 */

import { startEmulator, type Emulator } from '@tiktool/emulator';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess, type GatewayProcess } from '../lib/gateway-process.js';
import type { Percentiles } from '../lib/histogram.js';
import { cpuBetween } from '../lib/timing.js';

const MISSED = 10_000;
const STORM_CLIENTS = 1_000;
const STORM_MISSED = 1_000;
/** Each single resume is timed this many times (fresh creators), the median reported. */
const SINGLE_RUNS = 3;
/** Emitted as frames of this many messages (one huge frame is not how TikTok sends). */
const EMIT_CHUNK = 500;

export interface ResumeRun {
  batch: boolean;
  missed: number;
  replayed: number;
  recovered: boolean;
  /** From opening the socket to receiving the last missed event. */
  ms: number;
}

export interface StormRun {
  batch: boolean;
  clients: number;
  missed: number;
  done: number;
  recovered: number;
  /** Until every client had every missed event. */
  elapsedMs: number;
  completion: Percentiles;
  gatewayCpuMs: number;
  closes: Closes;
}

export interface ResumeResult {
  single: ResumeRun[];
  storm: StormRun[];
}

function emit(emulator: Emulator, uniqueId: string, n: number): void {
  for (let left = n; left > 0; left -= EMIT_CHUNK) emulator.emit(uniqueId, Math.min(EMIT_CHUNK, left));
}

/** Connects the group and a witness, lets them see a few events, closes the group, emits `missed`. */
async function miss(
  emulator: Emulator,
  gateway: GatewayProcess,
  clients: ClientProcess,
  o: { group: string; creator: string; count: number; batch: boolean; missed: number },
): Promise<void> {
  const witness = `${o.group}-witness`;
  const url = gateway.url(o.creator, o.batch ? { batch: '1' } : {});
  await clients.connect(witness, 'seq', [gateway.url(o.creator)], 1);
  await clients.connect(o.group, 'seq', Array(o.count).fill(url), 100);
  emit(emulator, o.creator, 10);
  await clients.untilEvents(o.group, 10 * o.count);
  await clients.close(o.group);
  emit(emulator, o.creator, o.missed);
  // The witness has them all: the gateway holds the missed events.
  await clients.untilEvents(witness, 10 + o.missed);
}

export async function runResume(profileDir?: string): Promise<ResumeResult> {
  const emulator = await startEmulator({ rate: 0, seed: 41 });
  const nofile = 2 * STORM_CLIENTS + 1_024;
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, nofile, profileDir, name: 'gateway-resume' });
  const clients = new ClientProcess('clients', nofile);
  try {
    const single: ResumeRun[] = [];
    for (const batch of [false, true]) {
      const runs: ResumeRun[] = [];
      for (let i = 0; i < SINGLE_RUNS; i++) {
        const creator = `resume_${batch ? 'batch' : 'plain'}_${i}`;
        await miss(emulator, gateway, clients, { group: creator, creator, count: 1, batch, missed: MISSED });
        const r = await clients.resume(creator, gateway.url(creator, batch ? { batch: '1' } : {}), MISSED);
        runs.push({ batch, missed: MISSED, replayed: r.replayed, recovered: r.recovered === 1, ms: r.completion.max });
      }
      single.push(runs.sort((a, b) => a.ms - b.ms)[Math.floor(SINGLE_RUNS / 2)]);
    }
    const storm: StormRun[] = [];
    for (const batch of [false, true]) {
      const creator = batch ? 'storm_batch' : 'storm_plain';
      const group = `storm-${creator}`;
      await miss(emulator, gateway, clients, { group, creator, count: STORM_CLIENTS, batch, missed: STORM_MISSED });
      const u0 = await gateway.child.usage();
      const r = await clients.resume(group, gateway.url(creator, batch ? { batch: '1' } : {}), STORM_MISSED);
      const u1 = await gateway.child.usage();
      storm.push({
        batch,
        clients: STORM_CLIENTS,
        missed: STORM_MISSED,
        done: r.done,
        recovered: r.recovered,
        elapsedMs: r.elapsedMs,
        completion: r.completion,
        gatewayCpuMs: cpuBetween(u0, u1).cpuUs / 1000,
        closes: r.closes,
      });
    }
    return { single, storm };
  } finally {
    await clients.stop();
    await gateway.stop();
    await emulator.close();
  }
}
