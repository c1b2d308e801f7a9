/**
 * Benchmark 4: what an idle client costs the gateway (RSS and heap per connection at
 * 10,000 connections, after a full GC) and how fast it accepts connections with key
 * checks. Two key layouts: the hosted profile, 40 keys of the largest built-in tier
 * (ultra, 250 sockets each); and all 10,000 sockets on one key of an unlimited tier.
 */

import { startEmulator } from '@tiktool/emulator';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import { cpuBetween, sleep } from '../lib/timing.js';

const IDLE_CLIENTS = 10_000;
const CONCURRENCY = 200;
const CREATOR = 'idle_creator';
const ULTRA_SOCKETS = 250;

export interface ConnectionsRun {
  keys: string;
  clients: number;
  opened: number;
  connectsPerS: number;
  /** Gateway CPU per accepted connection, µs. */
  cpuUsPerConnect: number;
  rssPerClientKiB: number;
  heapPerClientKiB: number;
  closes: Closes;
}

async function run(layout: 'ultra' | 'one'): Promise<ConnectionsRun> {
  // No events: the clients stay idle (well within the upstream idle timeout).
  const emulator = await startEmulator({ rate: 0, seed: 31 });
  const nofile = IDLE_CLIENTS + 1_024;
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, nofile, name: `gateway-idle-${layout}` });
  const clients = new ClientProcess('clients', nofile);
  try {
    const keys = layout === 'ultra' ? await gateway.createKeys(IDLE_CLIENTS / ULTRA_SOCKETS, 'ultra') : [undefined];
    const urls = Array.from({ length: IDLE_CLIENTS }, (_, i) => {
      const apiKey = keys[i % keys.length];
      return gateway.url(CREATOR, apiKey ? { apiKey } : {});
    });
    await clients.connect('warm', 'idle', [gateway.url(CREATOR)], 1);
    const before = await gateway.child.usageAfterGc();
    const c = await clients.connect('idle', 'idle', urls, CONCURRENCY);
    const accepted = await gateway.child.usage();
    await sleep(1_000);
    const after = await gateway.child.usageAfterGc();
    return {
      keys: layout === 'ultra' ? `${keys.length} × ultra` : '1 × unlimited',
      clients: IDLE_CLIENTS,
      opened: c.opened,
      connectsPerS: (c.opened / c.elapsedMs) * 1000,
      cpuUsPerConnect: cpuBetween(before, accepted).cpuUs / c.opened,
      rssPerClientKiB: (after.rss - before.rss) / 1024 / c.opened,
      heapPerClientKiB: (after.heapUsed - before.heapUsed) / 1024 / c.opened,
      closes: c.closes,
    };
  } finally {
    await clients.stop();
    await gateway.stop();
    await emulator.close();
  }
}

export async function runConnections(): Promise<ConnectionsRun[]> {
  return [await run('ultra'), await run('one')];
}
