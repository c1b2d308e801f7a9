/**
 * Benchmark 4: what an idle client costs the gateway (RSS and heap per connection at
 * 10,000 connections, after a full GC) and how fast it accepts connections with key checks.
 */

import { startEmulator } from '@tiktool/emulator';
import { ClientProcess, type Closes } from '../lib/client-process.js';
import { startGatewayProcess } from '../lib/gateway-process.js';
import { cpuBetween, sleep } from '../lib/timing.js';

export const IDLE_CLIENTS = 10_000;
const CONCURRENCY = 200;
const CREATOR = 'idle_creator';

export interface ConnectionsResult {
  clients: number;
  opened: number;
  connectsPerS: number;
  /** Gateway CPU per accepted connection, µs. */
  cpuUsPerConnect: number;
  rssPerClientKiB: number;
  heapPerClientKiB: number;
  closes: Closes;
}

export async function runConnections(profileDir?: string): Promise<ConnectionsResult> {
  // No events: the clients stay idle (well within the upstream idle timeout).
  const emulator = await startEmulator({ rate: 0, seed: 31 });
  const nofile = IDLE_CLIENTS + 1_024;
  const gateway = await startGatewayProcess({ emulatorUrl: emulator.url, nofile, profileDir, name: 'gateway-idle' });
  const clients = new ClientProcess('clients', nofile);
  try {
    const url = gateway.url(CREATOR);
    await clients.connect('warm', 'idle', [url], 1);
    const before = await gateway.child.usageAfterGc();
    const c = await clients.connect('idle', 'idle', Array(IDLE_CLIENTS).fill(url), CONCURRENCY);
    const accepted = await gateway.child.usage();
    await sleep(1_000);
    const after = await gateway.child.usageAfterGc();
    return {
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
