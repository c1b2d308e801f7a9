/**
 * The soak: a hosted service's life compressed. Hundreds of creators start and end LIVEs
 * (switched through the emulator's control API), clients connect to them, drop and resume
 * with sessionId + lastSeq, leave, or are closed when a LIVE ends; for N minutes. Each
 * minute the gateway's RSS, heap (as it is, and after a full GC), event-loop delay and
 * open handles are read from its /metrics, and its sockets, creators and sessions from
 * /healthz. The slope after the warm-up (least squares, per minute) says whether memory
 * settles. The gateway runs with a history budget below what the workload would keep
 * (HISTORY_MAX_MIB): each minute records its history bytes, its high-water mark since start
 * and the events the budget evicted, so the table shows the budget holding.
 * Only single-creator sockets: roster sockets do not exist yet.
 */

import { fileURLToPath } from 'node:url';
import { switchCreator } from '@tiktool/emulator';
import { Child } from '../lib/child.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import { Rng } from '@tiktool/emulator';
import { MiB, sleep } from '../lib/timing.js';
import type { SoakClientOptions, SoakClientStats } from '../procs/soak-clients.js';

const EMULATOR = fileURLToPath(new URL('../procs/emulator-process.js', import.meta.url));
const CLIENTS = fileURLToPath(new URL('../procs/soak-clients.js', import.meta.url));

const CREATORS = 300;
/** Events per second of each live room. */
const RATE = 5;
/** Mean length of a LIVE and of the pause between two, in seconds (exponential): some LIVEs outlast the 10-minute history age. */
const LIVE_MEAN_S = 240;
const OFFLINE_MEAN_S = 80;
const SWITCH_TICK_MS = 1_000;
const CLIENT_SLOTS = 600;
const CLIENT_TICK_MS = 100;
const SEED = 19;
/** What a minute's row is read at; the run ends with the last minute's row. */
const MINUTE_MS = 60_000;
/** The history age bound and the session TTL are 10 minutes: a long soak's warm-up covers them. */
const MAX_WARMUP_MIN = 12;
/**
 * The gateway's TIKTOOL_HISTORY_MAX_BYTES unless `--history-mib` says otherwise: ~200 live
 * creators at 5 events/s for 10 minutes would keep some 300 MiB; a starved emulator sends less.
 */
const HISTORY_MAX_MIB = 128;

export interface SoakRow {
  minute: number;
  rssMiB: number;
  heapMiB: number;
  heapAfterGcMiB: number;
  loopP99Ms: number;
  loopMaxMs: number;
  handles: number;
  fds: number;
  sockets: number;
  creators: number;
  sessions: number;
  liveCreators: number;
  historyMiB: number;
  /** The most history the gateway held at any moment since start. */
  historyPeakMiB: number;
  evictions: number;
  clients: SoakClientStats;
}

export interface SoakResult {
  minutes: number;
  warmupMin: number;
  creators: number;
  clientSlots: number;
  rate: number;
  historyMaxMiB: number;
  switches: number;
  /** Switches the emulator did not answer. */
  switchFailures: number;
  rows: SoakRow[];
  /** Least squares over the rows at or after the warm-up, per minute. */
  rssSlopeMiBPerMin: number;
  heapAfterGcSlopeMiBPerMin: number;
  handlesSlopePerMin: number;
}

/** Sum of a metric's samples (every label set) in a Prometheus text exposition. */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

/** The least-squares slope of y over x. */
export function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

export function defaultWarmup(minutes: number): number {
  return Math.min(MAX_WARMUP_MIN, Math.max(1, Math.floor(minutes * 0.4)));
}

/** Switches creators live and offline at random (a LIVE ends with probability 1/LIVE_MEAN_S a second). */
function startSwitching(
  emulatorUrl: string,
  creators: string[],
  live: Set<string>,
  clients: Child,
  onSwitch: (done: boolean) => void,
): () => Promise<void> {
  const rng = new Rng(SEED);
  // A slow switch may outlast its tick: every one still under way is awaited at the end.
  const underWay = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const flips = creators.filter((u) => rng.next() < SWITCH_TICK_MS / 1000 / (live.has(u) ? LIVE_MEAN_S : OFFLINE_MEAN_S));
    const switching = Promise.all(
      flips.map(async (u) => {
        const goLive = !live.has(u);
        // A switch the emulator did not answer (a reset kept-alive connection, a starved process) is counted, and tried again later.
        const done = await switchCreator(emulatorUrl, u, goLive).then(
          () => true,
          () => false,
        );
        if (!done) return void onSwitch(false);
        if (goLive) live.add(u);
        else live.delete(u);
        onSwitch(true);
        await clients.call('setLive', { uniqueId: u, live: goLive });
      }),
    );
    underWay.add(switching);
    void switching.finally(() => underWay.delete(switching));
  }, SWITCH_TICK_MS);
  return async () => {
    clearInterval(timer);
    await Promise.all(underWay);
  };
}

export async function runSoak(minutes: number, warmupMin = defaultWarmup(minutes), historyMaxMiB = HISTORY_MAX_MIB): Promise<SoakResult> {
  const lifetimeMs = (minutes + 5) * MINUTE_MS;
  const creators = Array.from({ length: CREATORS }, (_, i) => `soak_${String(i).padStart(3, '0')}`);
  const nofile = CLIENT_SLOTS * 2 + CREATORS * 2 + 1_024;
  const emulator = new Child({
    name: 'emulator',
    script: EMULATOR,
    nofile,
    serves: true,
    nice: 5,
    lifetimeMs,
    env: { SEED: String(SEED), RATE: String(RATE) },
  });
  try {
    const { url: emulatorUrl } = await emulator.call<{ url: string }>('url');
    // A third of the creators start offline (every other one is live on first use).
    const live = new Set(creators);
    for (const u of creators.filter((_, i) => i % 3 === 0)) {
      await switchCreator(emulatorUrl, u, false);
      live.delete(u);
    }
    const gateway = await startGatewayProcess({
      emulatorUrl,
      nofile,
      lifetimeMs,
      name: 'gateway-soak',
      env: { LOG_LEVEL: 'warn', TIKTOOL_HISTORY_MAX_BYTES: String(historyMaxMiB * MiB) },
    });
    const clients = new Child({ name: 'soak-clients', script: CLIENTS, nofile, serves: true, lifetimeMs });
    const http = gateway.wsUrl.replace(/^ws/, 'http');
    let switches = 0;
    let switchFailures = 0;
    try {
      const options: SoakClientOptions = {
        base: gateway
          .url(creators[0])
          .replace(/uniqueId=[^&]*&?/, '')
          .replace(/&$/, ''),
        creators,
        live: [...live],
        slots: CLIENT_SLOTS,
        tickMs: CLIENT_TICK_MS,
        pConnect: 0.05,
        pLeave: 0.001,
        pResume: 0.002,
        pAnyCreator: 0.05,
        seed: SEED,
      };
      await clients.call('start', { ...options });
      const stopSwitching = startSwitching(emulatorUrl, creators, live, clients, (done) => (done ? switches++ : switchFailures++));
      const rows: SoakRow[] = [];
      const started = Date.now();
      for (let minute = 0; minute <= minutes; minute++) {
        await sleep(Math.max(0, started + minute * MINUTE_MS - Date.now()));
        rows.push(await sample(http, gateway.child, clients, minute, live.size));
        process.stderr.write(
          `soak: minute ${minute}: RSS ${rows.at(-1)!.rssMiB.toFixed(0)} MiB, heap after GC ${rows.at(-1)!.heapAfterGcMiB.toFixed(1)} MiB, history ${rows.at(-1)!.historyMiB.toFixed(1)} MiB\n`,
        );
      }
      await stopSwitching();
      await clients.call('stop');
      const steady = rows.filter((r) => r.minute >= warmupMin);
      return {
        minutes,
        warmupMin,
        creators: CREATORS,
        clientSlots: CLIENT_SLOTS,
        rate: RATE,
        historyMaxMiB,
        switches,
        switchFailures,
        rows,
        rssSlopeMiBPerMin: slope(steady.map((r) => [r.minute, r.rssMiB])),
        heapAfterGcSlopeMiBPerMin: slope(steady.map((r) => [r.minute, r.heapAfterGcMiB])),
        handlesSlopePerMin: slope(steady.map((r) => [r.minute, r.handles])),
      };
    } finally {
      await clients.stop();
      await gateway.stop();
    }
  } finally {
    await emulator.stop();
  }
}

async function sample(http: string, gateway: Child, clients: Child, minute: number, liveCreators: number): Promise<SoakRow> {
  // /metrics first: its event-loop figures cover the minute since the previous scrape, before the GC below.
  const text = await (await fetch(`${http}/metrics`)).text();
  const health = (await (await fetch(`${http}/healthz`)).json()) as { clients: number; creators: number; sessions: number };
  const afterGc = await gateway.usageAfterGc();
  // A second scrape resets the loop-delay histogram after the forced GC's pause: the next minute's figures are the gateway's own.
  await (await fetch(`${http}/metrics`)).text();
  return {
    minute,
    rssMiB: metricValue(text, 'process_resident_memory_bytes') / MiB,
    heapMiB: metricValue(text, 'nodejs_heap_size_used_bytes') / MiB,
    heapAfterGcMiB: afterGc.heapUsed / MiB,
    loopP99Ms: metricValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    loopMaxMs: metricValue(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
    handles: metricValue(text, 'nodejs_active_handles_total'),
    fds: metricValue(text, 'process_open_fds'),
    sockets: health.clients,
    creators: health.creators,
    sessions: health.sessions,
    liveCreators,
    historyMiB: metricValue(text, 'tiktool_history_bytes') / MiB,
    historyPeakMiB: metricValue(text, 'tiktool_history_peak_bytes') / MiB,
    evictions: metricValue(text, 'tiktool_history_evictions_total'),
    clients: await clients.call<SoakClientStats>('stats'),
  };
}
