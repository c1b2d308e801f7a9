/**
 * Many idle clients on one node (50,000 by default): what each costs the gateway (RSS and
 * heap after a full GC), how fast it accepts them, how late its event loop runs while it
 * holds them (through a keepalive ping round), and whether a live creator's events still
 * reach a few active clients quickly meanwhile. The idle clients come from loopback
 * addresses 127.0.0.2 and up, since one source address has only the ephemeral port range
 * (about 28,000 ports) toward one gateway port.
 */

import { execFileSync } from 'node:child_process';
import { startEmulator } from '@tiktool/emulator';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import type { Percentiles } from '../lib/histogram.js';
import { pace } from '../lib/pacer.js';
import { cpuBetween, MiB, sentAtById, sleep } from '../lib/timing.js';

const CONCURRENCY = 200;
/** Sockets per source address: well inside the default ephemeral range (32768–60999). */
const PER_ADDRESS = 10_000;
/** Files the gateway holds besides its clients' sockets (listener, emulator, database, pipes). */
const NOFILE_MARGIN = 1_000;
const IDLE_CREATOR = 'idle_creator';
const ACTIVE_CREATOR = 'active_creator';
const ACTIVE_CLIENTS = 10;
/** The active creator's events: 2 per frame every 50 ms. */
const ACTIVE_PER_SECOND = 40;
const ACTIVE_TICK_MS = 50;
/** Held longer than the gateway's 30 s ping interval: the window sees a ping round over every socket. */
const HOLD_MS = 40_000;

export interface IdleClientsResult {
  clients: number;
  opened: number;
  sourceAddresses: number;
  connectsPerS: number;
  cpuUsPerConnect: number;
  rssPerClientKiB: number;
  heapPerClientKiB: number;
  rssMiB: number;
  holdS: number;
  loopP99Ms: number;
  loopMaxMs: number;
  gcMaxMs: number;
  holdCpuPct: number;
  activeClients: number;
  activeEvents: number;
  latency: Percentiles;
  closes: Closes;
}

/** The hard open-file limit a child may raise its own to. */
function hardNofile(): number {
  const out = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Infinity : Number(out);
}

export async function runIdleClients(count: number, profileDir?: string): Promise<IdleClientsResult> {
  const nofile = count + NOFILE_MARGIN;
  const hard = hardNofile();
  if (nofile > hard) {
    throw new Error(
      `${count} clients need an open-file limit of ${nofile}, above this machine's hard limit ${hard} ` +
        `(raise it with \`ulimit -Hn\` as root, or in limits.conf / the container's --ulimit nofile), or pass --idle-clients ${hard - NOFILE_MARGIN}`,
    );
  }
  const emulator = await startEmulator({ rate: 0, seed: 41 });
  const gateway = await startGatewayProcess({
    emulatorUrl: emulator.url,
    nofile,
    profileDir,
    name: 'gateway-idle-many',
    env: { LOG_LEVEL: 'warn' },
  });
  const idle = new ClientProcess('idle-clients', nofile);
  // Their own process: the idle clients' pong round would otherwise delay the active ones.
  const active = new ClientProcess('active-clients', 1_024);
  try {
    const addresses = Array.from({ length: Math.ceil(count / PER_ADDRESS) }, (_, i) => `127.0.0.${i + 2}`);
    await idle.connect('warm', 'idle', [gateway.url(IDLE_CREATOR)], 1);
    const before = await gateway.child.usageAfterGc();
    const c = await idle.connect('idle', 'idle', Array(count).fill(gateway.url(IDLE_CREATOR)) as string[], CONCURRENCY, false, addresses);
    const accepted = await gateway.child.usage();
    const after = await gateway.child.usageAfterGc();
    await active.connect('active', 'full', Array(ACTIVE_CLIENTS).fill(gateway.url(ACTIVE_CREATOR)) as string[], ACTIVE_CLIENTS);
    const from = performance.timeOrigin + performance.now();
    const h0 = await gateway.child.usage();
    const stop = pace(ACTIVE_PER_SECOND, ACTIVE_TICK_MS, (due) => emulator.emit(ACTIVE_CREATOR, due));
    await sleep(HOLD_MS);
    stop();
    const h1 = await gateway.child.usage();
    await sleep(500);
    const report = await active.fullReport('active', sentAtById(emulator.emittedMessages(ACTIVE_CREATOR)), from);
    return {
      clients: count,
      opened: c.opened,
      sourceAddresses: addresses.length,
      connectsPerS: (c.opened / c.elapsedMs) * 1000,
      cpuUsPerConnect: cpuBetween(before, accepted).cpuUs / c.opened,
      rssPerClientKiB: (after.rss - before.rss) / 1024 / c.opened,
      heapPerClientKiB: (after.heapUsed - before.heapUsed) / 1024 / c.opened,
      rssMiB: after.rss / MiB,
      holdS: HOLD_MS / 1000,
      loopP99Ms: h1.loopP99Ms,
      loopMaxMs: h1.loopMaxMs,
      gcMaxMs: h1.gcMaxMs,
      holdCpuPct: cpuBetween(h0, h1).cpuPct,
      activeClients: ACTIVE_CLIENTS,
      activeEvents: report.latency.count,
      latency: report.latency,
      closes: c.closes,
    };
  } finally {
    await active.stop();
    await idle.stop();
    await gateway.stop();
    await emulator.close();
  }
}
